import pytest

from townhall.conftest import PASSWORD, message_data
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_signs_in_and_opens_a_conversation(live_server, page, council, alice) -> None:
    items_ingest(council=council, items=[parse_item(message_data())], source="import")
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.get_by_role("link", name="The bins on Mill Lane were not collected this week").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("The bins on Mill Lane")
    assert axe_violations(page) == []


def test_the_sign_in_page_has_no_serious_accessibility_problem(live_server, page, db) -> None:
    page.goto(f"{live_server.url}/login/")
    assert axe_violations(page) == []
