import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from townhall.accounts.models import Membership
from townhall.conftest import PASSWORD
from townhall.core.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_sign_in_says_what_to_do_accessibly(live_server, page, alice) -> None:
    sign_in(page, live_server.url, "alice", "not the password")
    expect(page.get_by_role("link", name="Enter a correct username and password")).to_be_visible()
    assert axe_violations(page) == []


def test_the_lockout_message_is_accessible(live_server, page, alice) -> None:
    for n in range(5):
        sign_in(page, live_server.url, "alice", f"guess {n}")
    expect(page.get_by_text("Too many attempts to sign in")).to_be_visible()
    expect(page.get_by_text(re.compile(r"You can try again at \d\d:\d\d, in 15 minutes\."))
           ).to_be_visible()
    assert axe_violations(page) == []


def test_a_one_time_password_must_be_replaced(live_server, page, alice) -> None:
    Membership.objects.filter(pk=alice.pk).update(must_change_password=True)
    sign_in(page, live_server.url, "alice", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert axe_violations(page) == []
    page.get_by_label("New password", exact=True).fill("my own long password")
    page.get_by_label("Confirm new password").fill("my own long password")
    page.get_by_role("button", name="Save password").click()
    expect(page).not_to_have_url(re.compile("/account/password/"))


def test_someone_without_a_council_gets_a_plain_page(live_server, page, db) -> None:
    get_user_model().objects.create_user(username="orphan", password=PASSWORD)
    sign_in(page, live_server.url, "orphan", PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Your account is not linked to a council")
    assert axe_violations(page) == []
