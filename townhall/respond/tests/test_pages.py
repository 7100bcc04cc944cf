"""The admin's settings pages, the approval pages and the conversation page, over HTTP."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from townhall.conftest import PASSWORD
from townhall.core.models import AuditEvent
from townhall.inbox.models import DeliveryStatus, Message, SavedReply
from townhall.inbox.services import conversation_reply
from townhall.respond.models import (
    ApprovalRule,
    ApprovalStatus,
    ClosureDay,
    ReplyApproval,
    ResponseTarget,
)
from townhall.respond.selectors import office_hours_for, response_clock_for
from townhall.triage.services import taxonomy_install

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["respond:hours", "respond:targets", "respond:target-add", "respond:rules",
               "respond:rule-add", "respond:saved-replies", "respond:saved-reply-add"]


def client_for(username: str) -> Client:
    client = Client()
    client.login(username=username, password=PASSWORD)
    return client


def hours_data(**changes: str) -> dict[str, str]:
    data = {"nation": "scotland", "warn_at_percent": "75"}
    for day in range(5):
        data[f"day_{day}"] = "09:00-17:00"
    data.update(changes)
    return data


def test_only_admins_reach_the_settings_and_supervisors_the_queue(alice, bob, dave) -> None:
    for name in ADMIN_PAGES:
        assert client_for("dave").get(reverse(name)).status_code == 200, name
        assert client_for("bob").get(reverse(name)).status_code == 403, name
        assert client_for("alice").get(reverse(name)).status_code == 403, name
    for name in ("respond:index", "respond:approvals", "respond:report"):
        assert client_for("bob").get(reverse(name)).status_code == 200
        assert client_for("alice").get(reverse(name)).status_code == 403
    assert Client().get(reverse("respond:approvals")).status_code == 302


def test_an_admin_sets_office_hours_and_it_is_audited(council, dave) -> None:
    client = client_for("dave")
    response = client.post(reverse("respond:hours"), hours_data())
    assert response.status_code == 302
    hours = office_hours_for(council)
    assert hours.nation == "scotland" and hours.weekly[0] == ((time(9), time(17)),)
    assert hours.weekly[5] == ()
    assert AuditEvent.objects.filter(action="respond.hours_changed", actor=dave.user).exists()


def test_an_admin_sets_split_hours_and_targets_use_them(council, dave) -> None:
    client = client_for("dave")
    response = client.post(reverse("respond:hours"), hours_data(
        day_0="08:30-12:30, 13:30-17:00", day_4="13.30 to 16.00 and 08:30-12:30", day_2=""))
    assert response.status_code == 302
    hours = office_hours_for(council)
    assert hours.weekly[0] == ((time(8, 30), time(12, 30)), (time(13, 30), time(17)))
    assert hours.weekly[4] == ((time(8, 30), time(12, 30)), (time(13, 30), time(16)))
    assert hours.weekly[2] == ()
    page = client.get(reverse("respond:hours")).content.decode()
    assert 'value="08:30-12:30, 13:30-17:00"' in page and 'id="id_day_2" name="day_2" value=""' in page
    # Monday 12 January 2026 at 12:00: half an hour before lunch, the rest after it.
    clock = response_clock_for(council)
    noon = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)
    waiting = clock.waiting(waiting_since=noon, priority="normal", safeguarding=False,
                            now=datetime(2026, 1, 12, 14, 0, tzinfo=UTC))
    assert waiting is not None and waiting.waited == timedelta(minutes=60)
    assert hours.deadline(noon, 3600) == datetime(2026, 1, 12, 14, 0, tzinfo=UTC)
    # Saving the page again keeps both openings.
    client.post(reverse("respond:hours"), {**hours_data(day_0=page.split(
        'id="id_day_0" name="day_0" value="')[1].split('"')[0])})
    assert office_hours_for(council).weekly[0] == hours.weekly[0]


def test_bad_office_hours_are_explained_and_nothing_is_saved(council, dave) -> None:
    client = client_for("dave")
    page = client.post(reverse("respond:hours"), hours_data(
        day_0="17:00-08:00", day_1="08:30-12:30, 12:00-17:00", day_2="9 till 5",
        day_3="08:30-25:00"))
    html = page.content.decode()
    assert page.status_code == 400
    assert "Monday: 17:00-08:00 must end after it starts" in html
    assert "Tuesday: 08:30-12:30 and 12:00-17:00 overlap. Enter each opening once" in html
    assert "Enter Wednesday&#x27;s opening times like 08:30-12:30, 13:30-17:00" in html
    assert "Thursday: 08:30-25:00 is not a time of day" in html
    assert 'href="#id_day_0"' in html and 'value="9 till 5"' in html
    assert office_hours_for(council).nation == "england-and-wales"
    empty = {"nation": "scotland", "warn_at_percent": "75"}
    assert "at least one day" in client.post(reverse("respond:hours"), empty).content.decode()


def test_an_admin_adds_and_removes_a_closure_day(council, dave) -> None:
    client = client_for("dave")
    url = reverse("respond:closure-add")
    client.post(url, {"closure-day": "2026-12-29", "closure-reason": "Christmas shutdown"})
    again = client.post(url, {"closure-day": "2026-12-29"})
    assert "already a closure day" in again.content.decode()
    closure = ClosureDay.objects.get(council=council)
    assert client.post(reverse("respond:closure-remove", args=[closure.pk])).status_code == 302
    assert not ClosureDay.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="respond.closure_").count() == 2


def test_an_admin_manages_targets(council, dave, eve) -> None:
    taxonomy_install(council=council)
    roads = council.categories.get(code="roads_potholes")
    client = client_for("dave")
    add = reverse("respond:target-add")
    assert client.post(add, {"category": roads.pk, "priority": "high",
                             "first_response_hours": "1.5",
                             "resolution_hours": "16"}).status_code == 302
    target = ResponseTarget.objects.get(council=council)
    assert (target.first_response_minutes, target.resolution_minutes) == (90, 960)
    clash = client.post(add, {"category": roads.pk, "priority": "high",
                              "first_response_hours": "2"})
    assert "already a target" in clash.content.decode()
    shorter = client.post(reverse("respond:target", args=[target.pk]), {
        "category": roads.pk, "priority": "high", "first_response_hours": "4",
        "resolution_hours": "2"})
    assert "must not be shorter" in shorter.content.decode()
    assert client_for("eve").get(reverse("respond:target", args=[target.pk])).status_code == 404
    client.post(reverse("respond:target-delete", args=[target.pk]))
    assert not ResponseTarget.objects.exists()
    assert AuditEvent.objects.filter(action="respond.target_deleted").exists()


def test_an_admin_manages_approval_rules(council, dave, alice) -> None:
    client = client_for("dave")
    client.post(reverse("respond:rule-add"), {
        "name": "New starter", "officer": alice.user_id, "keywords": " refund ,  legal,",
        "is_active": "on"})
    rule = ApprovalRule.objects.get(council=council)
    assert (rule.officer_id, rule.keywords, rule.is_active) == (alice.user_id, "refund, legal",
                                                                True)
    client.post(reverse("respond:rule", args=[rule.pk]), {"name": "New starter"})
    rule.refresh_from_db()
    assert not rule.is_active and rule.officer_id is None
    client.post(reverse("respond:rule-delete", args=[rule.pk]))
    assert not ApprovalRule.objects.exists()


def test_an_admin_manages_bilingual_saved_replies(council, dave) -> None:
    client = client_for("dave")
    url = reverse("respond:saved-reply-add")
    empty = client.post(url, {"title": "Thanks", "is_active": "on"})
    assert "Enter the text in English, in Welsh, or both" in empty.content.decode()
    half = client.post(url, {"title": "Thanks", "body": "Hello", "title_cy": "Diolch"})
    assert "both a title and a text" in half.content.decode()
    assert not SavedReply.objects.filter(council=council).exists()
    client.post(url, {"title": "Thanks", "body": "Thank you, {resident_name}.",
                      "title_cy": "Diolch", "body_cy": "Diolch, {resident_name}.",
                      "is_active": "on"})
    saved = SavedReply.objects.get(council=council, title="Thanks")
    assert saved.text_in("cy") == "Diolch, {resident_name}."
    assert "Diolch" in client.get(reverse("respond:saved-replies")).content.decode()
    client.post(reverse("respond:saved-reply-delete", args=[saved.pk]))
    assert not SavedReply.objects.filter(pk=saved.pk).exists()


def test_the_conversation_page_offers_saved_replies_in_the_residents_language(
        make_welsh_conversation, make_conversation, council, alice) -> None:
    SavedReply.objects.create(council=council, title="Thanks", body="Thank you, {resident_name}.",
                              title_cy="Diolch", body_cy="Diolch, {resident_name}.")
    client = client_for("alice")
    welsh = client.get(reverse("inbox:conversation",
                               args=[make_welsh_conversation().pk])).content.decode()
    english = client.get(reverse("inbox:conversation",
                                 args=[make_conversation().pk])).content.decode()
    assert 'data-body="Diolch, Sam Evans."' in welsh and ">Diolch</option>" in welsh
    assert "This resident wrote in Welsh" in welsh
    assert 'data-body="Thank you, Sam Evans."' in english


def test_a_blocked_reply_offers_the_officer_a_request_and_keeps_the_text(
        make_welsh_conversation, alice) -> None:
    conversation = make_welsh_conversation()
    client = client_for("alice")
    url = reverse("inbox:reply", args=[conversation.pk])
    data = {"reply-text": "Thanks, on it.", "reply-version": conversation.version,
            "reply-idempotency_key": "k1"}
    blocked = client.post(url, data)
    html = blocked.content.decode()
    assert blocked.status_code == 400 and "wrote in Welsh" in html
    assert "Ask a supervisor to approve sending it in English only" in html
    assert "Thanks, on it." in html
    asked = client.post(url, {**data, "reply-welsh_override": "on"}, follow=True)
    assert "waiting for a supervisor" in asked.content.decode()
    assert Message.objects.get(idempotency_key="k1").delivery_status == "approval"


def test_the_approval_pages_approve_edit_and_reject(make_conversation, council, alice, bob,
                                                    dave) -> None:
    ApprovalRule.objects.create(council=council, name="Everything")
    first, second = make_conversation(), make_conversation()
    held = [conversation_reply(conversation=c, text="We will fix it.", by=alice,
                               version=c.version) for c in (first, second)]
    client = client_for("bob")
    queue = client.get(reverse("respond:approvals")).content.decode()
    assert first.reference in queue and second.reference in queue and "Everything" in queue
    detail = client.get(reverse("respond:approval", args=[held[0].approval.pk]))
    assert "We will fix it." in detail.content.decode()
    client.post(reverse("respond:approval-approve", args=[held[0].approval.pk]),
                {"approve-text": "We will fix it on Monday.\r\n^Alice"})
    held[0].refresh_from_db()
    assert held[0].delivery_status == DeliveryStatus.QUEUED
    assert held[0].text == "We will fix it on Monday.\n^Alice"
    no_reason = client.post(reverse("respond:approval-reject", args=[held[1].approval.pk]),
                            {"reject-reason": ""})
    assert no_reason.status_code == 400 and "Enter the reason" in no_reason.content.decode()
    client.post(reverse("respond:approval-reject", args=[held[1].approval.pk]),
                {"reject-reason": "Give a date."})
    assert ReplyApproval.objects.get(pk=held[1].approval.pk).status == ApprovalStatus.REJECTED
    thread = client_for("alice").get(reverse("inbox:conversation", args=[second.pk]))
    assert "Give a date." in thread.content.decode()
    assert "No replies are waiting" in client.get(reverse("respond:approvals")).content.decode()


def test_a_supervisor_cannot_decide_on_their_own_reply(make_conversation, bob) -> None:
    conversation = make_conversation(safeguarding=True)
    held = conversation_reply(conversation=conversation, text="Are you safe now?", by=bob,
                              version=conversation.version)
    client = client_for("bob")
    page = client.get(reverse("respond:approval", args=[held.approval.pk])).content.decode()
    assert "another supervisor must approve" in page and "Approve and send" not in page
    refused = client.post(reverse("respond:approval-approve", args=[held.approval.pk]),
                          {"approve-text": "Are you safe now?"})
    assert refused.status_code == 400 and "your own reply" in refused.content.decode()
    assert ReplyApproval.objects.get(pk=held.approval.pk).status == ApprovalStatus.PENDING


def test_another_councils_approval_is_not_found(make_conversation, council, alice, eve) -> None:
    ApprovalRule.objects.create(council=council, name="Everything")
    conversation = make_conversation()
    held = conversation_reply(conversation=conversation, text="Fixed.", by=alice,
                              version=conversation.version)
    client = client_for("eve")
    assert client.get(reverse("respond:approval", args=[held.approval.pk])).status_code == 404
    assert client.post(reverse("respond:approval-approve", args=[held.approval.pk]),
                       {"approve-text": "x"}).status_code == 404
