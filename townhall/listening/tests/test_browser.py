"""An admin sets up listening in a real browser, by keyboard where it matters."""

from typing import Any

import pytest
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.listening.models import KeywordRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_adds_rules_and_a_feed_and_tests_a_headline(live_server: Any, page: Any,
                                                             dave: Any) -> None:
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Listening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Listening")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Add a keyword rule").click()
    page.get_by_role("button", name="Add rule").click()
    expect(page.get_by_role("link", name="Enter a word or phrase to listen for")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Word or phrase").fill("AfonCouncil")
    page.get_by_label("Hashtag").check()
    page.get_by_label("Ignore posts that also mention").fill("Afon Rovers")
    page.get_by_label("Ignore posts that also mention").press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Keyword rule added.")).to_be_visible()
    rule = KeywordRule.objects.get()
    assert (rule.phrase, rule.kind, rule.exclude_words) == ("AfonCouncil", "hashtag",
                                                           ["Afon Rovers"])

    page.get_by_role("button", name="Add a feed").click()
    assert axe_violations(page) == []
    page.get_by_label("Name").fill("Afon Valley Gazette")
    page.get_by_label("Feed address").fill("https://gazette.example/feed/")
    page.get_by_role("button", name="Add feed").click()
    expect(page.get_by_text("Feed added.")).to_be_visible()
    expect(page.get_by_role("button", name="Read now Afon Valley Gazette")).to_be_visible()

    page.get_by_label("Test your rules on some text").fill("Well done #afoncouncil")
    page.get_by_role("button", name="Test", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("It matches: #AfonCouncil")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Edit #AfonCouncil").click()
    assert axe_violations(page) == []
