"""The demo council shows office hours, targets, bilingual replies and a queue."""

from datetime import date

import pytest

from townhall.accounts.services import user_create
from townhall.inbox.models import SavedReply
from townhall.respond.demo import demo_install
from townhall.respond.models import (
    ApprovalRule,
    ApprovalStatus,
    ClosureDay,
    ReplyApproval,
    ResponseSettings,
    ResponseTarget,
)
from townhall.triage.services import taxonomy_install

pytestmark = pytest.mark.django_db


def test_it_installs_the_demo_once_however_often_it_runs(make_conversation,
                                                         make_welsh_conversation,
                                                         welsh_council) -> None:
    taxonomy_install(council=welsh_council)
    user_create(council=welsh_council, username="officer", password="x" * 12, role="officer")
    make_conversation(text="The bins on Mill Lane were not collected this week")
    make_welsh_conversation()
    for _ in range(2):
        demo_install(welsh_council, today=date(2026, 11, 20))
    assert ResponseSettings.objects.get(council=welsh_council).nation == "england-and-wales"
    assert sorted(ClosureDay.objects.values_list("day", flat=True)) == [
        date(2026, 12, 24), date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)]
    assert ResponseTarget.objects.filter(council=welsh_council, category__isnull=False).count() == 2
    missed_bin = SavedReply.objects.get(council=welsh_council, title="Missed bin")
    assert missed_bin.title_cy == "Bin heb ei gasglu" and missed_bin.category is not None
    assert ApprovalRule.objects.filter(council=welsh_council).count() == 1
    reasons = sorted(a.reasons[0]["code"] for a in ReplyApproval.objects.filter(
        council=welsh_council, status=ApprovalStatus.PENDING))
    assert reasons == [f"rule:{ApprovalRule.objects.get().pk}", "welsh-override"]
