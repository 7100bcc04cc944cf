from unittest import mock

from django.core import mail

from townhall.conftest import message_data
from townhall.inbox.models import Conversation, Message
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest
from townhall.triage.models import Incident, SafeguardingAlert
from townhall.triage.services import taxonomy_install


def ingest(council, **overrides):
    items_ingest(council=council, items=[parse_item(message_data(**overrides))], source="api")
    return Message.objects.get(platform_message_id=overrides.get("platform_message_id", "m1"))


def test_every_inbound_message_is_triaged_on_arrival(council) -> None:
    taxonomy_install(council=council)
    message = ingest(council, text="Huge pothole outside 12 Mill Lane, SW1A 1AA, nearly came "
                                   "off my bike. Call me on 07700 900123.")
    assert message.triaged_at is not None
    assert message.category.code == "roads_potholes"
    assert message.language == "en"
    assert {p["type"] for p in message.pii} >= {"phone", "postcode"}
    assert "07700 900123" not in message.redacted_text
    assert message.conversation.category.code == "roads_potholes"


def test_a_welsh_message_is_marked_welsh(council) -> None:
    message = ingest(council, text="Mae'r biniau heb eu casglu ers pythefnos ar Stryd y Bont.")
    assert message.language == "cy"
    assert message.conversation.language == "cy"


def test_a_safeguarding_message_alerts_the_duty_team_at_once(council, bob,
                                                            django_capture_on_commit_callbacks
                                                            ) -> None:
    council.safeguarding_email = "duty@afon.example"
    council.save()
    with django_capture_on_commit_callbacks(execute=True):
        message = ingest(council, text="I can't cope any more, I want to end my life tonight")
    conversation = Conversation.objects.get()
    assert message.safeguarding and "self_harm" in message.safeguarding_reasons
    assert conversation.priority == "critical" and conversation.safeguarding
    alert = SafeguardingAlert.objects.get()
    assert alert.emailed_at is not None
    assert mail.outbox[0].to == ["duty@afon.example"]
    assert "self-harm or suicide" in mail.outbox[0].subject
    # The resident's words stay in Townhall.
    assert "end my life" not in mail.outbox[0].body


def test_triage_fails_closed_when_the_pipeline_breaks(council) -> None:
    with mock.patch("townhall.triage.arrival.Triager.triage_many",
                    side_effect=RuntimeError("model file corrupt")):
        message = ingest(council, text="The street light is out")
    assert message.priority == "critical"
    assert message.safeguarding
    assert "triage_failed" in message.safeguarding_reasons
    assert "model file corrupt" in message.triage_error
    assert SafeguardingAlert.objects.filter(message=message).exists()
    assert message.conversation.priority == "critical"


def test_messages_about_one_incident_are_grouped_across_deliveries(council) -> None:
    texts = ["Burst water main on Mill Lane, water everywhere",
             "Water pouring out of the road on Mill Lane, burst main?",
             "Mill Lane is flooded from a burst water main, cars stuck"]
    for n, text in enumerate(texts):
        ingest(council, platform_message_id=f"w{n}", author=f"fb:{n}", text=text,
               created_at=f"2026-03-02T09:{10 + n * 5}:00+00:00")
    ingest(council, platform_message_id="other", author="fb:9",
           text="Can I get a new recycling box?", created_at="2026-03-02T09:30:00+00:00")
    incident = Incident.objects.get(message_count__gte=2)
    assert incident.message_count == 3
    members = set(incident.members.values_list("message__platform_message_id", flat=True))
    assert members == {"w0", "w1", "w2"}


def test_a_message_hours_later_is_not_the_same_incident(council) -> None:
    ingest(council, platform_message_id="a", text="Burst water main on Mill Lane",
           created_at="2026-03-02T09:00:00+00:00")
    ingest(council, platform_message_id="b", author="fb:2", text="Burst water main on Mill Lane",
           created_at="2026-03-02T18:00:00+00:00")
    assert not Incident.objects.filter(message_count__gte=2).exists()


def test_replies_from_the_council_are_not_triaged(council) -> None:
    message = ingest(council, direction="out", author="afoncouncil",
                     text="I want to end my life is not what we said")
    assert message.triaged_at is None
    assert not SafeguardingAlert.objects.exists()


def test_everyday_reports_that_mention_family_or_fire_raise_no_alert(council) -> None:
    texts = [
        "Someone set fire to the bins on Ferry Road last night. My elderly mum lives here.",
        "Street name sign in Trefynach is missing. My elderly mum lives here. Cheers",
        "Lamp post on Primrose Hill has been hit by a car and is leaning. My nan lives here.",
        "A dead cat outside number 16, looks like it was hit by a car. Can someone help?",
    ]
    for n, text in enumerate(texts):
        ingest(council, platform_message_id=f"e{n}", author=f"fb:{n}", text=text)
    assert not SafeguardingAlert.objects.exists()
    assert not Message.objects.filter(safeguarding=True).exists()
