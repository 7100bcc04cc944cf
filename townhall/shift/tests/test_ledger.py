import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from townhall.core.models import AuditEvent
from townhall.inbox.models import Conversation, Direction, Message
from townhall.shift.models import LedgerEntry, ShiftSource
from townhall.shift.money import pounds
from townhall.shift.selectors import ledger_summary, savings_totals, shift_rate
from townhall.shift.services import link_click, shift_confirm, unit_costs_update
from townhall.shift.signpost import signpost_for
from townhall.shift.tests.helpers import post, pothole_route

pytestmark = pytest.mark.django_db
MARCH = datetime(2026, 3, 1, tzinfo=UTC)
APRIL = datetime(2026, 4, 1, tzinfo=UTC)


def _shifted(council, when=None, **fields):
    conversation = post(council, **fields)
    if when is not None:
        Conversation.objects.filter(pk=conversation.pk).update(created_at=when)
        conversation.refresh_from_db()
    link = signpost_for(conversation=conversation).link
    return shift_confirm(link=link, source=ShiftSource.WEBHOOK, external_reference="BO-1")


def _costs(council, **changes):
    values = {"source": "Socitm Channel Value Benchmarking 2012", "face_to_face_pence": 862,
              "phone_pence": 283, "web_pence": 15, "social_pence": 0, "baseline": "phone"}
    values.update(changes)
    return unit_costs_update(council=council, by=None, **values)


def test_money_is_shown_in_pounds() -> None:
    assert [pounds(283), pounds(-12), pounds(123456), pounds(0)] == [
        "£2.83", "-£0.12", "£1,234.56", "£0.00"]


def test_a_shifted_conversation_saves_a_phone_call_less_a_web_transaction(council) -> None:
    pothole_route(council)
    entry = _shifted(council)
    assert (entry.would_have_cost_pence, entry.cost_pence, entry.saved_pence) == (283, 15, 268)
    assert entry.assumptions == {"source": "Socitm Channel Value Benchmarking 2012",
                                 "face_to_face_pence": 862, "phone_pence": 283,
                                 "web_pence": 15, "social_pence": 0, "baseline": "phone"}
    assert entry.category_name == "Roads and potholes"


def test_the_social_media_answer_and_a_face_to_face_baseline_change_the_sums(council) -> None:
    pothole_route(council)
    _costs(council, social_pence=120, baseline="face_to_face")
    entry = _shifted(council)
    assert (entry.would_have_cost_pence, entry.cost_pence, entry.saved_pence) == (862, 135, 727)


def test_changing_the_costs_later_does_not_rewrite_history(council) -> None:
    pothole_route(council)
    before = _shifted(council)
    _costs(council, phone_pence=390, web_pence=8, source="Our 2026 study")
    after = _shifted(council)
    before.refresh_from_db()
    assert before.saved_pence == 268 and before.assumptions["phone_pence"] == 283
    assert after.saved_pence == 382 and after.assumptions["source"] == "Our 2026 study"
    assert ledger_summary(council=council).total.saved_pence == 650


def test_a_conversation_is_counted_once_however_often_it_is_confirmed(council) -> None:
    pothole_route(council)
    entry = _shifted(council)
    again = shift_confirm(link=entry.link, source=ShiftSource.OPEN311_CLIENT)
    assert again.pk == entry.pk
    assert LedgerEntry.objects.filter(council=council).count() == 1


def test_totals_count_the_funnel_of_the_period_and_the_money(council, other_council) -> None:
    pothole_route(council)
    pothole_route(other_council)
    _shifted(council, when=datetime(2026, 3, 10, tzinfo=UTC))
    _shifted(other_council, when=datetime(2026, 3, 10, tzinfo=UTC))
    sent = post(council)
    Conversation.objects.filter(pk=sent.pk).update(created_at=datetime(2026, 3, 12, tzinfo=UTC))
    link = signpost_for(conversation=sent).link
    Message.objects.create(council=council, conversation=sent, channel=sent.channel,
                           direction=Direction.OUT, text=f"Report it at /go/{link.token}",
                           created_at=MARCH, received_at=MARCH)
    link_click(link=link, visitor="a" * 32)
    post(council, "The library is closed", created_at=datetime(2026, 3, 20, tzinfo=UTC))
    _shifted(council, when=datetime(2026, 4, 2, tzinfo=UTC))  # another month

    totals = savings_totals(council=council, start=MARCH, end=APRIL)
    assert (totals.contacts, totals.signposted, totals.clicked, totals.shifted) == (3, 1, 1, 1)
    assert (totals.would_have_cost_pence, totals.cost_pence, totals.saved_pence) == (283, 15, 268)
    # One shifted, one signposted and clicked; the library question is not reportable.
    assert shift_rate(council=council, start=MARCH, end=APRIL) == 0.5
    assert shift_rate(council=council, start=APRIL.replace(month=6),
                      end=APRIL.replace(month=7)) is None


def test_a_saving_is_counted_in_the_uk_month_the_resident_wrote(council) -> None:
    pothole_route(council)
    # 23:30 UTC on 30 April is 00:30 on 1 May in London (summer time).
    _shifted(council, when=datetime(2026, 4, 30, 23, 30, tzinfo=UTC))
    _shifted(council, when=datetime(2026, 4, 30, 22, 30, tzinfo=UTC))
    months = {row.label: row.shifted for row in ledger_summary(council=council).months}
    assert months == {"2026-05": 1, "2026-04": 1}


def test_supervisors_see_the_ledger_and_officers_do_not(signed_in, alice, bob, council) -> None:
    pothole_route(council)
    _shifted(council)
    assert signed_in(alice).get(reverse("shift:ledger")).status_code == 403
    page = signed_in(bob).get(reverse("shift:ledger")).content.decode()
    assert "£2.68" in page and "Roads and potholes" in page
    assert "Socitm Channel Value Benchmarking 2012" in page
    assert "face to face £8.62, phone £2.83, web £0.15" in page


def test_another_council_sees_none_of_the_savings(signed_in, eve, council) -> None:
    pothole_route(council)
    entry = _shifted(council)
    page = signed_in(eve).get(reverse("shift:ledger")).content.decode()
    assert entry.conversation_reference not in page and "£2.68" not in page


def test_the_csv_export_lists_each_saving_with_its_assumptions(signed_in, bob, council) -> None:
    pothole_route(council)
    entry = _shifted(council)
    response = signed_in(bob).get(reverse("shift:ledger-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["conversation"] == entry.conversation_reference
    assert (row["would_have_cost_gbp"], row["cost_gbp"], row["saved_gbp"]) == (
        "2.83", "0.15", "2.68")
    assert row["costs_source"] == "Socitm Channel Value Benchmarking 2012"
    assert AuditEvent.objects.filter(action="shift.ledger_exported", actor=bob.user).exists()
