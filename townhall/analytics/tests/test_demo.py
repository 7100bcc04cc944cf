from datetime import date, timedelta

import pytest

from townhall.analytics.demo import demo_install
from townhall.analytics.models import ConversationFact, Target, Ward
from townhall.analytics.targets import year_report
from townhall.conftest import at

pytestmark = pytest.mark.django_db


def test_the_demo_council_gets_wards_and_this_years_targets_once(council, make_thread) -> None:
    make_thread(at=at("2026-05-05T10:00:00+01:00"), reply_after=timedelta(hours=1),
                text="Flooding on Mill Lane again")
    assert demo_install(council, today=date(2026, 11, 26)) == 6
    assert demo_install(council, today=date(2026, 11, 26)) == 0
    assert Target.objects.filter(council=council, year=2026).count() == 6
    assert Ward.objects.filter(council=council).count() == 6
    fact = ConversationFact.objects.get(council=council)
    assert fact.ward_id == Ward.objects.get(name="Pont-y-Felin and Millbrook").pk
    report = year_report(council=council, year=2026, today=date(2026, 11, 26))
    assert len(report.statuses) == 6
