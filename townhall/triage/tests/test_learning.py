import pytest
from django.test import Client

from townhall.conftest import PASSWORD, message_data
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.inbox.models import Conversation
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest
from townhall.triage.learning import model_retrain
from townhall.triage.models import Category, TrainedModelRecord
from townhall.triage.services import taxonomy_install

# A council whose own words the built-in taxonomy does not know: "brown bin" is its
# garden-waste service and "the tip" its recycling centre, filed under its own codes.
EXAMPLES = {
    "garden_waste": ["my brown bin was skipped again on {s}", "brown bin not emptied {s}",
                     "renew brown bin permit for {s}", "the brown bin lorry missed {s}"],
    "tip_bookings": ["can I book a slot at the tip for {s}", "tip booking for {s} please",
                     "is the tip open on {s}", "the tip turned me away on {s}"],
}
STREETS = ["Mill Lane", "Heol y Bont", "Station Road", "Church Street", "High Street",
           "Park Avenue", "Maes y Coed", "Victoria Terrace"]


def settled_history(council) -> None:
    for code in EXAMPLES:
        Category.objects.create(council=council, code=code, name=code.replace("_", " "))
    n = 0
    for code, templates in EXAMPLES.items():
        for template in templates:
            for street in STREETS:
                n += 1
                items_ingest(council=council, source="import", items=[parse_item(message_data(
                    platform_message_id=f"h{n}", author=f"fb:{n}",
                    text=template.format(s=street)))])
                Conversation.objects.filter(messages__platform_message_id=f"h{n}").update(
                    status="closed", category=Category.objects.get(council=council, code=code))


def test_retraining_learns_the_councils_own_categories(council) -> None:
    taxonomy_install(council=council)
    settled_history(council)
    outcome = model_retrain(council=council, actor_label="test")
    record = outcome.record
    assert record is not None and record.is_active
    assert record.macro_f1 > record.previous_macro_f1
    assert "now in use" in outcome.message
    items_ingest(council=council, source="api", items=[parse_item(message_data(
        platform_message_id="new", author="fb:new", text="brown bin not emptied on Bryn Road"))])
    conversation = Conversation.objects.get(messages__platform_message_id="new")
    assert conversation.category.code == "garden_waste"


def test_retraining_needs_enough_settled_conversations(council) -> None:
    outcome = model_retrain(council=council)
    assert outcome.record is None
    assert "at least 50" in outcome.message
    assert not TrainedModelRecord.objects.exists()


def test_only_admins_may_retrain_and_officers_may_not_look(client: Client, alice, bob) -> None:
    client.login(username="alice", password=PASSWORD)
    assert client.get("/classifier/").status_code == 403
    client.login(username="bob", password=PASSWORD)
    assert client.get("/classifier/").status_code == 200
    assert client.post("/classifier/retrain/").status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_learning_page_is_accessible(live_server, page, dave) -> None:
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.goto(f"{live_server.url}/classifier/")
    page.get_by_role("button", name="Retrain now").click()
    page.get_by_text("at least 50 are needed").wait_for()
    assert axe_violations(page) == []
