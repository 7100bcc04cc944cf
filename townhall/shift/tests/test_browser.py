"""Channel shift in a real browser: the signpost panel, the ledger and the admin pages."""

import pytest
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.shift.models import ShiftSource
from townhall.shift.services import route_remove, shift_confirm
from townhall.shift.signpost import signpost_for
from townhall.shift.tests.helpers import post, pothole_route

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _blank_page_before_flush(page):
    """No poll from the page may reach the server while the tables are emptied."""
    yield
    page.goto("about:blank")


def tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_an_officer_inserts_the_signposting_reply_by_keyboard(live_server, page, council,
                                                              alice) -> None:
    pothole_route(council)
    conversation = post(council)
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    panel = page.locator("#th-signpost")
    expect(panel.get_by_role("heading", name="Report it online")).to_be_visible()
    expect(panel.locator("#th-signpost-text")).to_contain_text("/go/")
    assert axe_violations(page) == []

    tab_to(page, "#th-signpost-insert")
    page.keyboard.press("Enter")
    reply = page.get_by_label("Your reply to the resident")
    expect(reply).to_be_focused()
    token = signpost_for(conversation=conversation).link.token
    expect(reply).to_have_value(
        f"Thanks for letting us know, Sam. The quickest way to report this is on our website, "
        f"where you can follow its progress: http://127.0.0.1:8000/go/{token} Mark the pothole "
        "on the map and add a photo if you can.")


def test_a_safeguarding_conversation_shows_a_warning_instead(live_server, page, council,
                                                             alice) -> None:
    pothole_route(council)
    conversation = post(council, safeguarding=True)
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    expect(page.locator("#th-signpost-blocked")).to_contain_text("A person must answer it")
    expect(page.locator("#th-signpost-insert")).to_have_count(0)
    assert axe_violations(page) == []


def test_a_supervisor_reads_the_ledger(live_server, page, council, bob) -> None:
    pothole_route(council)
    conversation = post(council)
    shift_confirm(link=signpost_for(conversation=conversation).link, source=ShiftSource.WEBHOOK)
    sign_in(page, live_server.url, "bob", PASSWORD)
    page.get_by_role("link", name="Savings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Savings from channel shift")
    expect(page.locator("#th-saved-total")).to_have_text("£2.68")
    expect(page.locator("#th-unit-costs")).to_contain_text("Socitm Channel Value Benchmarking")
    expect(page.get_by_role("link", name=conversation.reference)).to_be_visible()
    assert axe_violations(page) == []


def test_an_admin_sets_a_route_and_the_costs(live_server, page, council, dave) -> None:
    pothole_route(council)
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.goto(f"{live_server.url}/shift/routes/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Street lighting route").click()
    assert axe_violations(page) == []
    page.get_by_label("Form address").fill("https://{place}.example/lights")
    page.get_by_role("button", name="Save route").click()
    expect(page.get_by_role("link", name="Placeholders can only go after the site name, not "
                                         "in it.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Form address").fill("https://www.afon.example/lights?pc={postcode}")
    page.get_by_label("What the resident does there", exact=True).fill("Choose the light.")
    page.get_by_role("button", name="Save route").click()
    expect(page.get_by_text("Route saved.")).to_be_visible()

    page.goto(f"{live_server.url}/shift/costs/")
    assert axe_violations(page) == []
    page.get_by_label("Phone call, in pounds").fill("3.10")
    page.get_by_role("button", name="Save unit costs").click()
    expect(page.get_by_text("Unit costs saved.")).to_be_visible()
    page.get_by_role("button", name="Create a secret").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New secret created")
    assert axe_violations(page) == []


def test_a_resident_with_a_broken_link_gets_a_plain_page(live_server, page, council) -> None:
    page.goto(f"{live_server.url}/go/nothing-here")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert axe_violations(page) == []
    route = pothole_route(council)
    link = signpost_for(conversation=post(council)).link
    route_remove(route=route, by=None)
    page.goto(f"{live_server.url}/go/{link.token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    assert axe_violations(page) == []
