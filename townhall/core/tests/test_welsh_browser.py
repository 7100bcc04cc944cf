"""The English / Cymraeg switch in a real browser, by keyboard, checked with axe."""

import pytest
from playwright.sync_api import expect

from townhall.conftest import PASSWORD, message_data
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_switches_to_welsh_and_back(live_server, page, council, alice) -> None:
    items_ingest(council=council, source="import", items=[parse_item(message_data(
        platform_message_id="m1", thread_id="t1", channel="facebook-account"))])
    sign_in(page, live_server.url, "alice", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")

    page.get_by_role("button", name="Cymraeg").focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mewnflwch")
    main_nav = page.get_by_role("navigation", name="Prif ddewislen")
    expect(main_nav.get_by_role("link", name="Mewnflwch")).to_have_attribute(
        "aria-current", "page")
    expect(main_nav.get_by_role("link", name="Rhybuddion diogelu")).to_be_visible()
    expect(page.get_by_role("navigation", name="Iaith").locator('[aria-current="true"]')
           ).to_have_text("Cymraeg")
    expect(page.get_by_role("link", name="The bins on Mill Lane were not collected this week")
           ).to_be_visible()
    assert axe_violations(page) == []

    # The choice outlives the session: signing out and in again stays in Welsh.
    page.get_by_role("button", name="Allgofnodi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mewngofnodi i Townhall")
    assert axe_violations(page) == []
    page.get_by_label("Enw defnyddiwr").fill("alice")
    page.get_by_label("Cyfrinair").fill(PASSWORD)
    page.get_by_role("button", name="Mewngofnodi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mewnflwch")

    page.get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    expect(page.get_by_role("navigation", name="Language").locator('[aria-current="true"]')
           ).to_have_text("English")
