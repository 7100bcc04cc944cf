"""Issue 6's story, end to end, against a GeoReport v2 back office on a free port.

A post arrives through the signed webhook; triage files it as a road defect; the
suggested reply signposts the online form with a tracked link; the officer sends it and
hands the problem to the back office, which returns a request id; the resident uses the
form, which reaches the back office carrying the link's reference; the back office later
closes the request; the officer tells the resident; the ledger shows the saving.
"""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from townhall.connectors.services import channel_create
from townhall.core.lib.signatures import sign
from townhall.inbox.models import Conversation, Direction, Message
from townhall.open311 import tasks
from townhall.open311.models import BackOfficeRequest
from townhall.shift.selectors import savings_totals
from townhall.shift.tests.helpers import POTHOLE, pothole_route

pytestmark = pytest.mark.django_db


def test_a_pothole_post_goes_from_arrival_to_a_closed_request_and_a_saving(
        client, council, alice, bob, backoffice, office, signed_in,
        django_capture_on_commit_callbacks) -> None:
    pothole_route(council)
    channel, secret = channel_create(council=council, platform="facebook", handle="afoncouncil")

    # 1. The post arrives through ingestion.
    body = json.dumps({"platform_message_id": "fb-1", "author": "fb:1001",
                       "author_name": "Sam Evans", "text": POTHOLE,
                       "created_at": datetime.now(UTC).isoformat()}).encode()
    arrived = client.post(f"/ingest/{channel.key}", body, content_type="application/json",
                          HTTP_X_TOWNHALL_SIGNATURE=sign(secret, body))
    assert arrived.status_code == 202

    # 2. Triage files it as a road defect, with the street and postcode.
    conversation = Conversation.objects.get(council=council, channel=channel)
    assert conversation.category.code == "roads_potholes"
    assert not conversation.safeguarding and conversation.priority != "critical"

    # 3. The suggested reply signposts the online form with a tracked link.
    officer = signed_in(alice)
    page = officer.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    suggestion = re.search(r'data-text="([^"]+)"', page).group(1).replace("&#x27;", "'")
    token = re.search(r"/go/([A-Za-z0-9_-]{16})", suggestion).group(1)
    assert "report this is on our website" in suggestion
    conversation.refresh_from_db()
    sent = officer.post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": suggestion, "reply-version": conversation.version,
        "reply-idempotency_key": "e2e-reply-1"})
    assert sent.status_code == 302

    # 4. The officer hands it to the back office, which gives a request id.
    form = officer.get(reverse("open311:handoff", args=[conversation.pk])).content.decode()
    assert 'value="12 Mill Lane"' in form and 'value="SW1A 1AA"' in form
    with django_capture_on_commit_callbacks(execute=True):
        handed = officer.post(reverse("open311:handoff", args=[conversation.pk]), {
            "service_code": "POT", "address_string": "12 Mill Lane", "postcode": "SW1A 1AA",
            "description": f"{POTHOLE}\n\nTownhall reference {conversation.reference}."})
    assert handed.status_code == 302
    request = BackOfficeRequest.objects.get(conversation=conversation)
    assert request.service_request_id in office.requests
    assert office.received[-1]["address_string"] == "12 Mill Lane, SW1A 1AA"

    # 5. The resident follows the link and reports it on the council's form, which passes
    #    the reference on to the back office.
    resident = Client().get(f"/go/{token}", HTTP_USER_AGENT="Mozilla/5.0 (Android 14) Mobile")
    assert resident.status_code == 302
    assert resident["Location"] == ("https://www.afon.example/report?category=potholes"
                                    f"&postcode=SW1A%201AA&ref={token}")
    office.add_report(f"Pothole on Mill Lane. Reference: {token}")

    # 6. Later the back office closes the officer's request.
    office.set_status(request.service_request_id, "closed", "Pothole filled today.")
    tasks.sweep()
    request.refresh_from_db()
    assert request.status == "closed" and request.closed_at is not None
    page = officer.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    assert "Pothole filled today." in page and "Shifted" in page

    # 7. The update is in the thread, after the officer's reply; the officer sends it to
    #    the resident from there, through the normal reply box.
    update = request.updates.get(status="closed")
    thread = page[page.index('class="govuk-list th-thread"'):]
    assert thread.index(f'id="backoffice-update-{update.pk}"') > thread.index("report this is")
    assert "Send this update to the resident" in thread
    page = officer.get(reverse("inbox:conversation", args=[conversation.pk])
                       + f"?about=backoffice-update-{update.pk}").content.decode()
    wording = (f"An update on the problem you reported ({conversation.reference}): the work "
               "is finished and the report is now closed. The team's note: Pothole filled "
               "today.")
    assert f"{escape(wording)}</textarea>" in page
    assert f'name="reply-about" value="backoffice-update-{update.pk}"' in page
    conversation.refresh_from_db()
    told = officer.post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": wording, "reply-version": conversation.version,
        "reply-idempotency_key": "e2e-update-1", "reply-about": f"backoffice-update-{update.pk}"})
    assert told.status_code == 302
    replies = Message.objects.filter(conversation=conversation, direction=Direction.OUT)
    assert [m.text.split("\n")[0] for m in replies] == [suggestion, wording]
    update.refresh_from_db()
    assert update.reply == replies.last()

    # 8. The ledger shows the saving: a phone call avoided, less a web transaction.
    ledger = signed_in(bob).get(reverse("shift:ledger")).content.decode()
    assert conversation.reference in ledger and "£2.68" in ledger
    today = datetime.now(UTC)
    totals = savings_totals(council=council, start=today - timedelta(days=1),
                            end=today + timedelta(days=1))
    assert (totals.contacts, totals.signposted, totals.clicked, totals.shifted) == (1, 1, 1, 1)
    assert (totals.would_have_cost_pence, totals.cost_pence, totals.saved_pence) == (283, 15, 268)
