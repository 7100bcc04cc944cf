"""The inbox in a real browser: the journeys officers make, by mouse and by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.inbox.models import Conversation, Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_an_officer_filters_opens_assigns_replies_and_closes(
        live_server, page, alice, carol, customer_services, make_conversation) -> None:
    make_conversation(text="Street light out on Station Road", priority="high")
    target = make_conversation(text="Fly-tipped mattress on Mill Lane", platform="x",
                               author="x:77", author_name="Dylan Price")
    sign_in(page, live_server.url, "alice", PASSWORD)
    assert axe_violations(page) == []

    # Words from the message, in any order, whatever punctuation stood between them.
    page.get_by_label("Search").fill("mattress, Mill")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="Fly-tipped mattress on Mill Lane")).to_be_visible()
    expect(page.get_by_role("link", name="Street light out on Station Road")).to_have_count(0)

    page.get_by_label("Platform").select_option("x")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="Street light out on Station Road")).to_have_count(0)
    page.get_by_role("link", name="Fly-tipped mattress on Mill Lane").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fly-tipped mattress on Mill Lane")
    assert axe_violations(page) == []

    page.get_by_label("Officer").select_option(label="Alice Jones")
    page.get_by_role("button", name="Save assignment").click()
    expect(page.get_by_text("Assignment saved.")).to_be_visible()

    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("link", name="Enter a reply")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Your reply to the resident").fill("Thanks, Dylan. We will clear it.")
    expect(page.locator(".govuk-character-count__status")).to_have_text(
        re.compile(r"You have \d+ characters remaining"))
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply is queued to send.")).to_be_visible()
    expect(page.locator(".th-message--out")).to_contain_text("Queued to send")

    page.get_by_role("button", name="Close conversation").click()
    expect(page.get_by_text("Conversation closed.")).to_be_visible()
    target.refresh_from_db()
    assert (target.status, target.assignee_id) == ("closed", alice.user_id)


def test_an_officer_cannot_open_another_teams_conversation(live_server, page, alice, highways,
                                                           make_conversation) -> None:
    theirs = make_conversation(text="Pothole on the A48", team=highways)
    sign_in(page, live_server.url, "alice", PASSWORD)
    expect(page.get_by_role("link", name="Pothole on the A48")).to_have_count(0)
    response = page.goto(f"{live_server.url}/conversations/{theirs.pk}/")
    assert response is not None and response.status == 404
    assert axe_violations(page) == []


def test_another_council_sees_nothing(live_server, page, eve, make_conversation) -> None:
    ours = make_conversation(text="Bins on Mill Lane")
    sign_in(page, live_server.url, "eve", PASSWORD)
    page.goto(f"{live_server.url}/?q=Mill+Lane")
    expect(page.get_by_text("No conversations match these filters.")).to_be_visible()
    response = page.goto(f"{live_server.url}/conversations/{ours.pk}/")
    assert response is not None and response.status == 404


def test_the_whole_journey_works_by_keyboard(live_server, page, alice,
                                             make_conversation) -> None:
    conversation = make_conversation(text="Can you collect a sofa from Maes y Coed?")
    page.goto(f"{live_server.url}/login/")
    tab_to(page, "input[name=username]")
    page.keyboard.type("alice")
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()

    page.keyboard.press("?")
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()

    page.keyboard.press("j")
    expect(page.get_by_role("link", name=conversation.subject)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(conversation.subject)

    page.keyboard.press("r")
    expect(page.get_by_label("Your reply to the resident")).to_be_focused()
    # Letters that are shortcuts elsewhere only type while in a box.
    page.keyboard.type("Yes, we can collect it. Book at our site, or reply here.")
    tab_to(page, "#reply-send")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your reply is queued to send.")).to_be_visible()

    page.keyboard.press("c")
    expect(page.get_by_text("Conversation closed.")).to_be_visible()
    conversation.refresh_from_db()
    assert conversation.status == "closed"
    reply = Message.objects.get(direction="out")
    assert reply.text.startswith("Yes, we can collect it.")


def test_a_colleagues_change_refuses_a_stale_reply_and_keeps_the_draft(
        live_server, browser, page, alice, bob, customer_services, make_conversation) -> None:
    conversation = make_conversation(text="Noise from the pub every night",
                                     team=customer_services)
    url = f"{live_server.url}/conversations/{conversation.pk}/"
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(url)

    other = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    other.set_default_timeout(10_000)
    bobs = other.new_page()
    sign_in(bobs, live_server.url, "bob", PASSWORD)
    bobs.goto(url)
    # The page polls every 5 seconds, so allow two polls for colleagues' news to arrive.
    live = 12_000
    expect(page.locator("#th-presence")).to_contain_text("Bob Jones is also viewing",
                                                         timeout=live)

    bobs.get_by_label("Officer").select_option(label="Bob Jones")
    bobs.get_by_role("button", name="Save assignment").click()
    expect(bobs.get_by_text("Assignment saved.")).to_be_visible()
    other.close()

    expect(page.locator("#th-changed")).to_contain_text("Bob Jones assigned it to Bob Jones",
                                                        timeout=live)
    page.get_by_label("Your reply to the resident").fill("I'll take this one, sorry for the wait")
    page.get_by_role("button", name="Send reply").click()
    banner = page.get_by_role("alert").filter(has_text="Not saved")
    expect(banner).to_contain_text("Bob Jones assigned it to Bob Jones, Customer Services at")
    expect(page.get_by_label("Your reply to the resident")).to_have_value(
        "I'll take this one, sorry for the wait")
    assert axe_violations(page) == []
    assert not Message.objects.filter(direction="out").exists()
    assert Conversation.objects.get(pk=conversation.pk).assignee_id == bob.user_id

    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply is queued to send.")).to_be_visible()
