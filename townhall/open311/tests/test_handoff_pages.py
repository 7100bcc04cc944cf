import pytest
from django.urls import reverse

from townhall.inbox.models import Direction, Message
from townhall.open311.models import BackOfficeRequest, SendState
from townhall.shift.tests.helpers import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(council):
    return post(council, "huge pothole outside 12 Mill Lane, SW1A 1AA, call me on 07700 900123",
                attachments=[{"type": "image", "url": "https://photos.example/p.jpg"}])


def _form(**changes):
    data = {"service_code": "POT", "address_string": "12 Mill Lane", "postcode": "SW1A 1AA",
            "description": "Huge pothole", "media_url": "https://photos.example/p.jpg"}
    data.update(changes)
    return data


def test_the_form_starts_from_what_triage_found(signed_in, alice, backoffice,
                                                conversation) -> None:
    page = signed_in(alice).get(reverse("open311:handoff", args=[conversation.pk]))
    text = page.content.decode()
    assert 'value="12 Mill Lane"' in text and 'value="SW1A 1AA"' in text
    assert 'value="https://photos.example/p.jpg"' in text
    assert '<option value="POT" selected>' in text
    assert "07700 900123" not in text
    assert f"Townhall reference {conversation.reference}" in text


def test_an_officer_hands_off_without_contact_details(signed_in, alice, backoffice, office,
                                                      conversation,
                                                      django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(alice).post(reverse("open311:handoff", args=[conversation.pk]),
                                         _form(email="sam@example.org", first_name="Sam"))
    assert response.status_code == 302
    request = BackOfficeRequest.objects.get(conversation=conversation)
    assert request.send_state == SendState.SENT and request.created_by == alice.user
    sent = office.received[-1]
    assert sent["service_code"] == "POT" and sent["address_string"] == "12 Mill Lane, SW1A 1AA"
    assert "email" not in sent and "first_name" not in sent
    assert request.email == "" and not request.contact_consent


def test_contact_details_go_only_when_the_resident_agreed(signed_in, alice, backoffice, office,
                                                          conversation,
                                                          django_capture_on_commit_callbacks
                                                          ) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(alice).post(reverse("open311:handoff", args=[conversation.pk]),
                              _form(contact_consent="on", email="sam@example.org",
                                    first_name="Sam", last_name="Evans"))
    sent = office.received[-1]
    assert (sent["email"], sent["first_name"], sent["last_name"]) == (
        "sam@example.org", "Sam", "Evans")


def test_a_hand_off_without_a_place_is_explained(signed_in, alice, backoffice,
                                                 conversation) -> None:
    response = signed_in(alice).post(reverse("open311:handoff", args=[conversation.pk]),
                                     _form(address_string="", postcode="", lat="51.5"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter both latitude and longitude, or neither" in page
    assert not BackOfficeRequest.objects.exists()


def test_another_council_cannot_hand_off_our_conversation(signed_in, eve, backoffice,
                                                          conversation) -> None:
    client = signed_in(eve)
    assert client.get(reverse("open311:handoff", args=[conversation.pk])).status_code == 404
    assert client.post(reverse("open311:handoff", args=[conversation.pk]),
                       _form()).status_code == 404
    assert not BackOfficeRequest.objects.exists()


def test_the_conversation_page_shows_the_request_and_its_updates(signed_in, alice, backoffice,
                                                                 office, conversation,
                                                                 django_capture_on_commit_callbacks
                                                                 ) -> None:
    client = signed_in(alice)
    page = client.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    assert "Hand off to the back office" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("open311:handoff", args=[conversation.pk]), _form())
    request = BackOfficeRequest.objects.get()
    office.set_status(request.service_request_id, "closed", "Filled in.", push=False)
    from townhall.open311.sync import backoffice_sweep

    backoffice_sweep(backoffice=backoffice)
    page = client.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    assert request.service_request_id in page and "Filled in." in page
    assert "Tell the resident" in page


def test_telling_the_resident_is_a_normal_reply(signed_in, alice, backoffice, office,
                                                conversation,
                                                django_capture_on_commit_callbacks) -> None:
    client = signed_in(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("open311:handoff", args=[conversation.pk]), _form())
    request = BackOfficeRequest.objects.get()
    office.set_status(request.service_request_id, "fixed", "Repaired this morning.")
    from townhall.open311.sync import backoffice_sweep

    backoffice_sweep(backoffice=backoffice)
    update = request.updates.get(status="fixed")
    url = reverse("open311:update-reply", args=[update.pk])
    form = client.get(url).content.decode()
    assert f"An update on the problem you reported ({conversation.reference}): it has been " \
           "fixed. Repaired this morning." in form
    conversation.refresh_from_db()
    response = client.post(url, {"text": "Good news: the pothole is fixed.",
                                 "version": conversation.version, "idempotency_key": "k1"})
    assert response.status_code == 302
    reply = Message.objects.get(conversation=conversation, direction=Direction.OUT)
    assert reply.text.startswith("Good news: the pothole is fixed.") and reply.sent_by == alice.user
    update.refresh_from_db()
    assert update.reply == reply


def test_admins_set_up_the_back_office_and_its_service_codes(signed_in, dave, council,
                                                             office) -> None:
    from townhall.open311.models import BackOffice, ServiceMapping
    from townhall.shift.tests.helpers import categories

    category = categories(council)["street_lighting"]
    client = signed_in(dave)
    response = client.post(reverse("open311:settings"), {
        "name": "Highways", "base_url": office.url, "api_key": "test-key", "format": "xml",
        "timeout_seconds": "5", "is_active": "on", "match_self_service": "on"})
    assert response.status_code == 302
    backoffice = BackOffice.objects.get(council=council)
    assert backoffice.api_key == "test-key" and "test-key" not in backoffice.api_key_encrypted
    check = client.post(reverse("open311:settings"), {"check": "yes"}).content.decode()
    assert "Street light not working" in check
    response = client.post(reverse("open311:mappings"), {f"code_{category.pk}": "LIGHT",
                                                         f"auto_{category.pk}": "on"})
    assert response.status_code == 302
    mapping = ServiceMapping.objects.get(category=category)
    assert mapping.service_code == "LIGHT" and mapping.send_automatically
    assert mapping.automatic_since is not None


def test_officers_cannot_change_the_back_office(signed_in, alice, bob) -> None:
    assert signed_in(alice).get(reverse("open311:settings")).status_code == 403
