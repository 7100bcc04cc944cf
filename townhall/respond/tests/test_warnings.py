"""Supervisors are warned once per wait, before a conversation misses its target."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from townhall.conftest import PASSWORD
from townhall.core.models import AuditEvent
from townhall.inbox.models import Conversation
from townhall.respond.models import BreachWarning
from townhall.respond.tasks import warn_before_breach
from townhall.respond.warnings import council_breach_warnings_send

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")

# Tuesday 14 January 2025, 11:00: the office opened at 08:45.
NOW = datetime(2025, 1, 14, 11, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _emails(alice, bob, dave) -> None:
    for member, address in ((alice, "alice@example.org"), (bob, "bob@example.org"),
                            (dave, "dave@example.org")):
        member.user.email = address
        member.user.save(update_fields=["email"])


def test_it_warns_at_eighty_percent_of_the_target_and_only_once(make_conversation, council,
                                                                django_capture_on_commit_callbacks
                                                                ) -> None:
    # High priority: 4 office hours. 80% is 3 h 12 min, so from 08:45 it warns at 11:57.
    soon = make_conversation(text="Street light out", priority="high",
                             waiting_since=datetime(2025, 1, 14, 8, 0, tzinfo=LONDON))
    calm = make_conversation(text="Bin question", priority="high",
                             waiting_since=datetime(2025, 1, 14, 9, 0, tzinfo=LONDON))
    assert council_breach_warnings_send(council=council, now=NOW) == []
    later = NOW + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        warned = council_breach_warnings_send(council=council, now=later)
    assert [w.conversation_id for w in warned] == [soon.pk]
    assert warned[0].due_at == datetime(2025, 1, 14, 12, 45, tzinfo=LONDON)
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["bob@example.org", "dave@example.org"]
    assert soon.reference in mail.outbox[0].body and "Street light" not in mail.outbox[0].body
    event = AuditEvent.objects.get(action="respond.breach_warned")
    assert event.object_id == str(soon.pk)
    assert council_breach_warnings_send(council=council, now=later) == []
    assert BreachWarning.objects.count() == 1
    assert calm.pk not in [w.conversation_id for w in BreachWarning.objects.all()]


def test_a_new_wait_after_an_answer_can_be_warned_about_again(make_conversation,
                                                              council) -> None:
    conversation = make_conversation(priority="high",
                                     waiting_since=datetime(2025, 1, 13, 9, 0, tzinfo=LONDON))
    assert len(council_breach_warnings_send(council=council, now=NOW)) == 1
    Conversation.objects.filter(pk=conversation.pk).update(
        waiting_since=datetime(2025, 1, 14, 8, 45, tzinfo=LONDON))
    assert council_breach_warnings_send(council=council, now=NOW) == []
    assert len(council_breach_warnings_send(council=council,
                                            now=NOW + timedelta(hours=2))) == 1


def test_snoozed_closed_and_long_breached_conversations_are_left_alone(make_conversation,
                                                                       council) -> None:
    make_conversation(priority="high", waiting_since=NOW - timedelta(days=1),
                      snoozed_until=NOW + timedelta(days=1))
    make_conversation(priority="high", waiting_since=NOW - timedelta(days=1), status="closed")
    make_conversation(priority="high", waiting_since=NOW - timedelta(days=40))
    assert council_breach_warnings_send(council=council, now=NOW) == []


def test_supervisors_see_the_warning_on_the_inbox_and_officers_do_not(make_conversation,
                                                                      council) -> None:
    now = datetime.now(UTC)
    conversation = make_conversation(text="Flooded underpass", priority="critical",
                                     waiting_since=now - timedelta(days=10))
    warn_before_breach()
    assert BreachWarning.objects.filter(conversation=conversation).exists()
    supervisor, officer = Client(), Client()
    supervisor.login(username="bob", password=PASSWORD)
    officer.login(username="alice", password=PASSWORD)
    assert "close to or past its response target" in supervisor.get(
        reverse("inbox:inbox")).content.decode()
    assert "close to or past" not in officer.get(reverse("inbox:inbox")).content.decode()
