"""Issue 6's demo story in a real browser, from a resident's post to the supervisor's ledger.

A pothole post arrives through the signed webhook. The officer opens it from the inbox,
inserts the suggested signposting reply and sends it, hands the problem to the back
office (a GeoReport v2 server on a free port), and sees the back office's "closed"
update arrive in the thread by itself. The officer sends the update to the resident
from the thread. Meanwhile the resident used the tracked link and the council's form,
which the back office passed on; the supervisor sees the saving on the savings page.
"""

import json
import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.connectors.services import channel_create
from townhall.core.lib.signatures import sign
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.inbox.models import Conversation, Direction, Message
from townhall.open311.models import BackOfficeRequest
from townhall.open311.sync import backoffice_sweep
from townhall.shift.tests.helpers import POTHOLE, pothole_route

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _blank_page_before_flush(page):
    yield
    page.goto("about:blank")


def test_the_demo_story_from_a_pothole_post_to_the_saving(live_server, page, council, alice,
                                                          bob, backoffice, office) -> None:
    pothole_route(council)
    channel, secret = channel_create(council=council, platform="facebook", handle="afoncouncil")
    body = json.dumps({"platform_message_id": "fb-story-1", "author": "fb:1001",
                       "author_name": "Sam Evans", "text": POTHOLE,
                       "created_at": datetime.now(UTC).isoformat()}).encode()
    arrived = Client().post(f"/ingest/{channel.key}", body, content_type="application/json",
                            HTTP_X_TOWNHALL_SIGNATURE=sign(secret, body))
    assert arrived.status_code == 202
    conversation = Conversation.objects.get(council=council, channel=channel)

    # The officer opens the post from the inbox.
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile("huge pothole outside 12 Mill Lane")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("huge pothole")
    expect(page.locator("#th-summary, .th-summary")).to_contain_text("Roads and potholes")
    assert axe_violations(page) == []

    # The suggested reply signposts the online form with a tracked link.
    page.get_by_role("button", name="Insert into reply").click()
    reply = page.get_by_label("Your reply to the resident")
    expect(reply).to_have_value(re.compile("report this is on our website"))
    token = re.search(r"/go/([A-Za-z0-9_-]{16})", reply.input_value()).group(1)
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply is queued to send.")).to_be_visible()

    # The officer hands the problem to the back office.
    page.get_by_role("button", name="Hand off to the back office").click()
    expect(page.get_by_label("Street or place")).to_have_value("12 Mill Lane")
    expect(page.get_by_label("Postcode")).to_have_value("SW1A 1AA")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send to the back office").click()
    expect(page.get_by_text("Handed to the back office.")).to_be_visible()
    request = BackOfficeRequest.objects.get(conversation=conversation)
    expect(page.locator("#th-backoffice-ref")).to_have_text(request.service_request_id)

    # The resident follows the link and reports it on the council's form, which passes
    # the link's reference to the back office. Later the back office closes the request,
    # and Townhall's sweep (every few minutes) picks both up.
    followed = Client().get(f"/go/{token}", HTTP_USER_AGENT="Mozilla/5.0 (Android 14) Mobile")
    assert followed.status_code == 302 and f"ref={token}" in followed["Location"]
    office.add_report(f"Pothole on Mill Lane. Reference: {token}")
    office.set_status(request.service_request_id, "closed", "Pothole filled today.")
    backoffice_sweep(backoffice=backoffice)

    # The update appears in the thread without reloading, after the officer's reply.
    update = page.locator(".th-message--event")
    expect(update).to_contain_text("Back-office update", timeout=20_000)
    expect(update).to_contain_text("Closed: Pothole filled today.")
    expect(update).to_contain_text("Not a message: the resident has not seen this.")
    expect(page.locator(".th-thread > li").last).to_have_class(re.compile("th-message--event"))
    expect(page.get_by_role("heading", name="2 messages")).to_be_visible()
    # The panels under the thread moved with it: the request is closed, the resident shifted.
    expect(page.locator("#th-backoffice-status")).to_contain_text("Closed")
    expect(page.locator("#th-shifted")).to_contain_text("The resident used the online form.")
    assert axe_violations(page) == []

    # The officer sends it to the resident, through the normal reply box.
    update.get_by_role("link", name="Send this update to the resident (Closed)").click()
    expect(reply).to_be_focused()
    expect(reply).to_have_value(
        f"An update on the problem you reported ({conversation.reference}): the work is "
        "finished and the report is now closed. The team's note: Pothole filled today.")
    expect(page.locator("#reply-about")).to_be_visible()
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply is queued to send.")).to_be_visible()
    expect(page.locator(".th-message--event")).to_contain_text("Resident told")
    expect(page.locator("#reply-about")).to_be_hidden()
    sent = Message.objects.filter(conversation=conversation, direction=Direction.OUT)
    assert sent.count() == 2 and sent.last().text.startswith("An update on the problem")
    assert axe_violations(page) == []

    # The supervisor sees what it saved: a phone call avoided, less a web transaction.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "bob", PASSWORD)
    page.goto(f"{live_server.url}/shift/")
    expect(page.locator("#th-shifted-total")).to_have_text("1")
    expect(page.locator("#th-saved-total")).to_have_text("£2.68")
    expect(page.get_by_role("link", name=conversation.reference)).to_be_visible()
    assert axe_violations(page) == []
