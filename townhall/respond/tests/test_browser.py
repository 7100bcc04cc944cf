"""The Welsh rule and approvals in a real browser, by mouse and by keyboard, with axe."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.connectors.mastodon.tests.conftest import mastodon, mastodon_channel
from townhall.connectors.registry import connector_for
from townhall.core.models import AuditEvent
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.services import conversation_reply
from townhall.ingest.items import IncomingItem
from townhall.ingest.services import items_ingest
from townhall.respond.models import ApprovalRule, ReplyApproval
from townhall.respond.tasks import warn_before_breach
from townhall.triage.services import taxonomy_install

__all__ = ["mastodon", "mastodon_channel"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENTION = (Path(__file__).parents[2] / "connectors" / "mastodon" / "tests" / "fixtures"
           / "webhooks" / "status_created_mention.json")


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def test_an_officers_english_reply_to_welsh_is_blocked_and_a_supervisor_overrides(
        live_server, page, make_welsh_conversation, alice, bob) -> None:
    conversation = make_welsh_conversation()
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    expect(page.get_by_text("This resident wrote in Welsh")).to_be_visible()
    page.get_by_label("Your reply to the resident").fill("Thanks, the crew will come back.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("link", name="This resident wrote in Welsh")).to_be_visible()
    assert axe_violations(page) == []
    assert not Message.objects.filter(conversation=conversation, direction="out").exists()

    # By keyboard: tick the request for approval and send it.
    tab_to(page, "#id_reply-welsh_override")
    page.keyboard.press("Space")
    tab_to(page, "#reply-send")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your reply is waiting for a supervisor's approval")).to_be_visible()
    expect(page.locator(".th-message--out")).to_contain_text("Waiting for a supervisor")
    sign_out(page)

    sign_in(page, live_server.url, "bob", PASSWORD)
    page.get_by_role("link", name="Approvals and targets").click()
    page.get_by_role("link", name="Approval queue").first.click()
    expect(page.get_by_text("English-only reply to a Welsh message")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"Review the reply on {conversation.reference}").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Approve and send").click()
    expect(page.get_by_text("Reply approved. It is queued to send.")).to_be_visible()
    reply = Message.objects.get(conversation=conversation, direction="out")
    assert reply.delivery_status == DeliveryStatus.QUEUED
    override = AuditEvent.objects.get(action="reply.welsh_override")
    assert override.actor_id == bob.user_id and override.data["approved_request"] is True


def test_a_supervisor_overrides_the_welsh_rule_on_their_own_reply(
        live_server, page, make_welsh_conversation, bob) -> None:
    conversation = make_welsh_conversation()
    sign_in(page, live_server.url, "bob", PASSWORD)
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    page.get_by_label("Your reply to the resident").fill("Thanks, the crew will come back.")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_label("Send it in English only: I am overriding the Welsh rule").check()
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply is queued to send.")).to_be_visible()
    assert AuditEvent.objects.get(action="reply.welsh_override").actor_id == bob.user_id


def test_a_reply_needing_approval_is_approved_by_keyboard_and_goes_out_once(
        live_server, page, council, alice, bob, mastodon, mastodon_channel) -> None:
    ApprovalRule.objects.create(council=council, name="Refunds", keywords="refund")
    items = [p for p in connector_for(mastodon_channel).parse_webhook(MENTION.read_bytes())
             if isinstance(p, IncomingItem)]
    items_ingest(council=council, items=items, source="connector", channel=mastodon_channel)
    conversation = Conversation.objects.get(channel=mastodon_channel)

    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    page.get_by_label("Your reply to the resident").fill("We will refund the permit fee.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply is waiting for a supervisor's approval")).to_be_visible()
    assert mastodon.sent == []
    sign_out(page)

    sign_in(page, live_server.url, "bob", PASSWORD)
    approval = ReplyApproval.objects.get(conversation=conversation)
    page.goto(f"{live_server.url}/respond/approvals/{approval.pk}/")
    tab_to(page, "#id_approve-text")
    page.keyboard.press("End")
    page.keyboard.type(" Thank you.")
    tab_to(page, "#approve-button")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Reply approved. It is queued to send.")).to_be_visible()
    expect(page.get_by_text("No replies are waiting for approval.")).to_be_visible()
    _wait_for(lambda: mastodon.sent)
    assert len(mastodon.sent) == 1
    assert "We will refund the permit fee." in str(mastodon.sent[0])

    # Going back to the reply cannot send it again.
    page.goto(f"{live_server.url}/respond/approvals/{approval.pk}/")
    expect(page.locator("#th-decided")).to_contain_text("already been approved")
    expect(page.get_by_role("button", name="Approve and send")).to_have_count(0)
    assert len(mastodon.sent) == 1
    assert Message.objects.get(pk=approval.message_id).delivery_status == DeliveryStatus.SENT


def test_every_new_page_passes_axe(live_server, page, make_conversation, council, alice,
                                   dave) -> None:
    taxonomy_install(council=council)
    ApprovalRule.objects.create(council=council, name="Everything")
    conversation = make_conversation()
    held = conversation_reply(conversation=conversation, text="We will fix it.", by=alice,
                              version=conversation.version)
    make_conversation(text="Flooded underpass", priority="critical",
                      waiting_since=datetime.now(UTC) - timedelta(days=10))
    warn_before_breach()
    sign_in(page, live_server.url, "dave", PASSWORD)
    expect(page.get_by_text("close to or past its response target")).to_be_visible()
    expect(page.get_by_role("link", name="Flooded underpass")).to_have_count(2)
    assert axe_violations(page) == []
    for path in ["/respond/", "/respond/approvals/", f"/respond/approvals/{held.approval.pk}/",
                 "/respond/welsh-report/", "/respond/hours/", "/respond/targets/",
                 "/respond/targets/add/", "/respond/rules/", "/respond/rules/add/",
                 "/respond/saved-replies/", "/respond/saved-replies/add/"]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert axe_violations(page) == [], path
    page.goto(f"{live_server.url}/respond/hours/")
    page.get_by_label("Monday opening times").fill("08:30-12:30, 12:00-17:00")
    page.get_by_role("button", name="Save office hours").click()
    expect(page.get_by_role("link", name="Monday: 08:30-12:30 and 12:00-17:00 overlap. "
                                         "Enter each opening once")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Monday: 08:30-12:30 and 12:00-17:00 overlap.").click()
    expect(page.get_by_label("Monday opening times")).to_be_focused()
    page.get_by_label("Monday opening times").fill("08:30-12:30, 13:30-17:00")
    page.get_by_label("Saturday opening times").fill("")
    page.get_by_role("button", name="Save office hours").click()
    expect(page.get_by_text("Office hours saved.")).to_be_visible()
    expect(page.get_by_label("Monday opening times")).to_have_value("08:30-12:30, 13:30-17:00")


def test_an_admin_adds_a_target_by_keyboard(live_server, page, council, dave) -> None:
    taxonomy_install(council=council)
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.goto(f"{live_server.url}/respond/targets/add/")
    tab_to(page, "#id_category")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_first_response_hours"
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Response target saved.")).to_be_visible()
    expect(page.get_by_role("cell", name="2 h")).to_be_visible()


def _wait_for(condition, seconds: float = 15.0) -> None:
    """The reply goes out after the approval commits; on a loaded machine, give it time."""
    import time

    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
