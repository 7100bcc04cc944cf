from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from townhall.analytics.models import TargetKind, Ward
from townhall.analytics.services import target_set
from townhall.conftest import PASSWORD, at
from townhall.core.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def year(council, bob, dave, alice, make_thread, customer_services):
    make_thread(at=at("2026-05-05T10:00:00+01:00"), reply_after=timedelta(minutes=40),
                team=customer_services, text="Bins not collected on Mill Lane AC3 1AB")
    make_thread(at=at("2026-06-05T10:00:00+01:00"), reply_after=timedelta(hours=4),
                platform="x", text="Street light out on High Street")
    make_thread(at=at("2026-07-05T10:00:00+01:00"), text="Mae'r biniau heb eu casglu")
    target_set(by=bob, year=2026, kind=TargetKind.FIRST_RESPONSE, percent=Decimal(50),
               office_minutes=120)
    target_set(by=bob, year=2026, kind=TargetKind.WELSH_IN_WELSH, percent=Decimal(95))
    Ward.objects.create(council=council, name="Millbrook", postcode_districts=["AC3"])


YEAR = "from=2026-04-01&to=2026-11-20"


def test_a_supervisor_reads_the_dashboard_and_follows_a_figure_by_keyboard(
        live_server, page, year) -> None:
    sign_in(page, live_server.url, "bob", PASSWORD)
    page.get_by_role("link", name="Analytics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Analytics")
    page.goto(f"{live_server.url}/analytics/?{YEAR}")
    expect(page.get_by_role("img", name="Messages and conversations over time")).to_be_visible()
    assert axe_violations(page) == []
    figure = page.locator(".th-headlines a").nth(1)
    expect(figure).to_have_text("3")
    figure.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("New conversations")
    expect(page.locator("#figure-total")).to_have_text("3 conversations")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Back to the dashboard").click()
    page.get_by_label("Platform", exact=True).select_option("x")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".th-headlines a").nth(1)).to_have_text("1")


def test_the_targets_page_answers_how_it_is_looking(live_server, page, year) -> None:
    sign_in(page, live_server.url, "bob", PASSWORD)
    page.goto(f"{live_server.url}/analytics/targets/?year=2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("How is it looking?")
    expect(page.locator("#targets-verdict")).to_have_text(
        "On track: 1. At risk: 0. Off track: 0. Too early to tell: 1.")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Add a target").click()
    page.get_by_label("Money saved").check()
    page.get_by_role("button", name="Save target").click()
    expect(page.get_by_role("link", name="Enter an amount of money more than £0")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Amount in pounds").fill("50000")
    page.get_by_role("button", name="Save target").click()
    expect(page.get_by_text("Target saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="£50,000 saved through channel shift")).to_be_visible()


def test_every_analytics_page_has_no_serious_accessibility_problem(live_server, page,
                                                                   year) -> None:
    sign_in(page, live_server.url, "dave", PASSWORD)
    ward = Ward.objects.get(name="Millbrook")
    for path in ["/analytics/report/", "/analytics/wards/", "/analytics/wards/add/",
                 f"/analytics/wards/{ward.pk}/",
                 f"/analytics/conversations/?metric=messages&sentiment=negative&{YEAR}",
                 "/analytics/?from=2026-05-01&to=2026-05-31&platform=x",
                 "/analytics/?from=2026-06-01&to=2026-05-01"]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path


def test_an_officer_sees_the_team_view(live_server, page, year) -> None:
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/analytics/?{YEAR}")
    expect(page.get_by_text("You are seeing your own teams' figures.")).to_be_visible()
    expect(page.get_by_role("heading", name="Officers")).to_have_count(0)
    expect(page.get_by_role("link", name="Targets")).to_have_count(0)
    assert axe_violations(page) == []
