"""The hand-off in a real browser: from the conversation page to the back office and back."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.inbox.models import Conversation
from townhall.open311.models import BackOfficeRequest
from townhall.open311.server import api_key_create
from townhall.open311.sync import backoffice_sweep
from townhall.shift.tests.helpers import categories, post, pothole_route

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _blank_page_before_flush(page):
    yield
    page.goto("about:blank")


def test_an_officer_hands_off_a_pothole_and_tells_the_resident(live_server, page, council, alice,
                                                               backoffice, office) -> None:
    pothole_route(council)
    conversation = post(council)
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    panel = page.locator("#th-backoffice")
    panel.get_by_role("button", name="Hand off to the back office").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hand off to the back office")
    expect(page.get_by_label("Street or place")).to_have_value("12 Mill Lane")
    expect(page.get_by_label("Postcode")).to_have_value("SW1A 1AA")
    expect(page.get_by_label("Back-office service")).to_have_value("POT")
    assert axe_violations(page) == []

    page.get_by_label("Street or place").fill("")
    page.get_by_label("Postcode").fill("")
    page.get_by_role("button", name="Send to the back office").click()
    expect(page.get_by_role("link", name="Enter where the problem is: a street, a postcode or "
                                         "map coordinates")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Street or place").fill("12 Mill Lane")
    page.get_by_label("Postcode").fill("SW1A 1AA")
    page.get_by_label("Postcode").press("Enter")
    expect(page.get_by_text("Handed to the back office.")).to_be_visible()
    request = BackOfficeRequest.objects.get(conversation=conversation)
    expect(page.locator("#th-backoffice-ref")).to_have_text(request.service_request_id)
    assert axe_violations(page) == []

    office.set_status(request.service_request_id, "closed", "Pothole filled today.")
    backoffice_sweep(backoffice=backoffice)
    page.reload()
    update = page.locator(".th-message--event")
    expect(update).to_contain_text("Back-office update")
    expect(update).to_contain_text("Pothole filled today.")
    update.get_by_role("link", name="Send this update to the resident (Closed)").click()
    expect(page.get_by_label("Your reply to the resident")).to_have_value(
        f"An update on the problem you reported ({conversation.reference}): the work is "
        "finished and the report is now closed. The team's note: Pothole filled today.")
    expect(page.locator("#reply-about")).to_contain_text("about the back-office update: Closed")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply is queued to send.")).to_be_visible()
    expect(page.locator(".th-message--event")).to_contain_text("Resident told")


def test_an_admin_connects_the_back_office_and_maps_categories(live_server, page, council, dave,
                                                               office) -> None:
    pothole_route(council)
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.goto(f"{live_server.url}/open311/settings/")
    assert axe_violations(page) == []
    page.get_by_label("Open311 endpoint").fill(office.url)
    page.get_by_label("API key").fill("test-key")
    page.get_by_role("button", name="Save back-office settings").click()
    expect(page.get_by_text("Back-office settings saved.")).to_be_visible()
    page.get_by_role("button", name="Check the connection and list its services").click()
    expect(page.locator("#th-services-found")).to_contain_text("Street light not working")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Service codes").click()
    page.get_by_role("textbox", name="Roads and potholes").fill("POT")
    page.get_by_label("Send automatically Roads and potholes").check()
    page.get_by_role("button", name="Save service codes").click()
    expect(page.get_by_text("Service codes saved.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Roads and potholes")).to_have_value("POT")
    assert axe_violations(page) == []


def test_an_officer_answers_a_report_from_a_reporting_app(live_server, page, council,
                                                          alice) -> None:
    categories(council)
    key = api_key_create(council=council, name="Reporting app")[1]
    app = Client()
    reference = app.post("/open311/v2/requests.json", {
        "api_key": key, "service_code": "roads_potholes",
        "address_string": "12 Mill Lane, SW1A 1AA",
        "description": "Huge pothole outside number 12"}).json()[0]["service_request_id"]
    conversation = Conversation.objects.get(channel__platform="open311")
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    page.get_by_label("Your reply to the resident").fill("An inspector will visit on Tuesday.")
    page.get_by_role("button", name="Send reply").click()
    # The reporting app reads the reply as the request's status notes: it is out at once.
    expect(page.get_by_text("Your reply is published to the reporting app as the request's "
                            "status notes.")).to_be_visible()
    reply = page.locator(".th-message--out .th-message__meta")
    expect(reply).to_contain_text("Published to the reporting app as the request's status notes")
    expect(reply).not_to_contain_text("Queued to send")
    assert axe_violations(page) == []
    notes = app.get(f"/open311/v2/requests/{reference}.json", {"api_key": key}).json()[0][
        "status_notes"]
    assert notes.startswith("An inspector will visit on Tuesday.")
