from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from townhall.analytics.dashboard import dashboard_build
from townhall.analytics.drilldown import figure_conversations
from townhall.analytics.labels import names_for
from townhall.analytics.models import RollupState, Target, Ward
from townhall.analytics.rollups import rollups_refresh
from townhall.analytics.scope import Filters, scope_for
from townhall.analytics.tests.conftest import Oracle
from townhall.conftest import at
from townhall.core.models import AuditEvent
from townhall.inbox.models import Conversation
from townhall.respond.services import response_target_save

pytestmark = pytest.mark.django_db

YEAR = "from=2026-04-01&to=2026-11-20"


@pytest.fixture
def threads(council, make_thread, customer_services, highways):
    made = [
        make_thread(at=at("2026-05-05T10:00:00+01:00"), reply_after=timedelta(minutes=40),
                    team=customer_services, text="Bins not collected on High Street AC1 2AB"),
        make_thread(at=at("2026-05-06T10:00:00+01:00"), reply_after=timedelta(hours=5),
                    team=highways, platform="x", text="Pothole on Mill Lane, awful"),
        make_thread(at=at("2026-06-02T09:00:00+01:00"), team=highways,
                    text="Street light out on Mill Lane"),
        make_thread(at=at("2026-06-03T09:00:00+01:00"), text="Is the tip open on Sunday?",
                    reply_after=timedelta(hours=2)),
    ]
    return made


def cells(dashboard):
    for table in dashboard.tables:
        for row in table.rows:
            for cell in row[1:]:
                yield table, cell


def behind(scope, names, query):
    """How many the list behind a link counts (messages for message figures)."""
    query = dict(query)
    filters = Filters(date.fromisoformat(query.pop("from")),
                      date.fromisoformat(query.pop("to")), query.pop("platform", ""),
                      query.pop("team", ""), query.pop("category", ""))
    figure = figure_conversations(scope=scope, filters=filters,
                                  metric=query.pop("metric"), extra=query, names=names)
    return figure.messages if figure.metric in ("messages", "term") else figure.total


def test_every_number_links_to_exactly_the_conversations_behind_it(council, bob, dave,
                                                                   threads) -> None:
    # A target for high priority, and one conversation of each priority, so the
    # shares within target depend on each conversation's own target.
    response_target_save(council=council, by=dave, category=None, priority="high",
                         first_response_minutes=30, resolution_minutes=None)
    Conversation.objects.filter(pk=threads[0].pk).update(priority="high")
    Conversation.objects.filter(pk=threads[1].pk).update(priority="critical")
    rollups_refresh(council=council)
    scope = scope_for(bob)
    dashboard = dashboard_build(scope=scope, filters=Filters(date(2026, 4, 1),
                                                             date(2026, 11, 20)),
                                council=council)
    names = names_for(council.pk)
    checked = shares = 0
    for table, cell in cells(dashboard):
        if not cell.url.startswith("/analytics/conversations/"):
            continue
        query = {k: v[0] for k, v in parse_qs(urlparse(cell.url).query).items()}
        if "target" in query:
            # A share within target: the conversations inside it over all of them.
            whole = behind(scope, names, {k: v for k, v in query.items() if k != "target"})
            assert round(behind(scope, names, query) / whole * 100, 1) == cell.value, (
                table.slug, cell.url)
            shares += 1
            continue
        if "band" in query or not isinstance(cell.value, int):
            continue  # a time band or a share: its value is not a count
        assert behind(scope, names, query) == cell.value, (table.slug, cell.url)
        checked += 1
    assert checked > 60 and shares > 5


def test_within_target_lists_the_conversations_inside_their_own_target(
        client, council, bob, dave, threads) -> None:
    # 40 min, 5 h and 2 h replies. High priority has 30 min, so the 40 min reply is
    # late; normal has respond's 8 h, so the 5 h and 2 h replies are in time.
    response_target_save(council=council, by=dave, category=None, priority="high",
                         first_response_minutes=30, resolution_minutes=None)
    Conversation.objects.filter(pk=threads[0].pk).update(priority="high")
    client.force_login(bob.user)
    dashboard = client.get(f"/analytics/?{YEAR}").context["dashboard"]
    headline = next(h for h in dashboard.headlines if h.label == "First replies within target")
    expected = Oracle(council).answered_in_target(date(2026, 4, 1), date(2026, 11, 20))
    assert len(expected) == 2 and headline.text == "67%"
    page = client.get(headline.url)
    assert page.context["figure"].total == 2
    assert "first reply within its response target" in page.content.decode()
    missed = client.get(headline.url.replace("target=met", "target=missed"))
    assert missed.context["figure"].total == 1
    assert threads[0].reference in missed.content.decode()
    assert client.get(headline.url.replace("target=met", "target=soon")).status_code == 400


def test_an_officer_sees_their_teams_without_anyone_named(client, council, alice, threads,
                                                          customer_services) -> None:
    client.force_login(alice.user)
    page = client.get(f"/analytics/?{YEAR}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "You are seeing your own teams" in text
    assert "By officer" not in text and "Bob Jones" not in text
    assert page.context["dashboard"].table("volume").rows[1][2].value == 1  # May: one
    assert client.get("/analytics/targets/").status_code == 403
    assert client.get("/analytics/report/download/?format=pdf&year=2026").status_code == 403
    assert client.get("/analytics/table.csv?table=officers").status_code == 404
    by_officer = client.get(f"/analytics/conversations/?metric=contacts&assignee={alice.user_id}")
    assert by_officer.status_code == 400
    assert "Only supervisors and administrators see figures by officer." in (
        by_officer.content.decode())


def test_a_supervisor_sees_the_whole_council_and_each_officer(client, council, bob, alice,
                                                              threads) -> None:
    threads[0].assignee = alice.user
    threads[0].save()
    client.force_login(bob.user)
    page = client.get(f"/analytics/?{YEAR}")
    dashboard = page.context["dashboard"]
    assert dashboard.headlines[1].text == "4"
    officers = dashboard.table("officers")
    assert [row[0].text for row in officers.rows] == ["Alice Jones", "Not assigned"]
    assert "By officer" in page.content.decode()


def test_another_council_sees_none_of_it(client, council, eve, threads) -> None:
    client.force_login(eve.user)
    dashboard = client.get(f"/analytics/?{YEAR}").context["dashboard"]
    assert dashboard.headlines[0].text == "0" and dashboard.headlines[1].text == "0"
    listed = client.get(f"/analytics/conversations/?metric=contacts&{YEAR}")
    assert listed.context["figure"].total == 0


def test_signing_in_comes_first(client) -> None:
    response = client.get("/analytics/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_list_behind_a_figure_counts_what_it_cannot_show(client, council, alice,
                                                             bob, threads,
                                                             customer_services) -> None:
    client.force_login(bob.user)
    page = client.get(f"/analytics/conversations/?metric=contacts&{YEAR}")
    assert page.context["figure"].total == 4
    # Bob supervises Customer Services: he can open its conversations and the
    # unrouted one, not Highways'.
    assert page.context["visible_total"] == 2 and page.context["hidden"] == 2
    assert "2 of them belong to teams you are not in" in page.content.decode()
    assert threads[0].reference in page.content.decode()
    assert threads[1].reference not in page.content.decode()


def test_a_link_to_a_figure_that_does_not_exist_says_so(client, bob) -> None:
    client.force_login(bob.user)
    page = client.get(f"/analytics/conversations/?metric=everything&{YEAR}")
    assert page.status_code == 400
    assert "The link names a figure that does not exist." in page.content.decode()
    page = client.get(f"/analytics/conversations/?metric=answered&band=x&{YEAR}")
    assert page.status_code == 400


def test_wrong_dates_are_named_and_the_year_so_far_is_shown(client, bob) -> None:
    client.force_login(bob.user)
    page = client.get("/analytics/?from=2026-06-01&to=2026-05-01&platform=fax")
    text = page.content.decode()
    assert "There is a problem" in text
    assert "The To date must be the same as or after the From date" in text
    assert page.context["dashboard"].filters.platform == ""
    assert page.context["dashboard"].filters.last >= page.context["dashboard"].filters.first


def test_a_table_downloads_as_csv_and_the_download_is_audited(client, council, bob,
                                                              threads) -> None:
    client.force_login(bob.user)
    response = client.get(f"/analytics/table.csv?table=platforms&{YEAR}")
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Platform,Messages from residents,New conversations,Share of messages"
    assert "Facebook,3,3,75.0" in lines and "X,1,1,25.0" in lines
    event = AuditEvent.objects.get(council=council, action="analytics.table_exported")
    assert event.actor == bob.user and event.data["table"] == "platforms"
    assert client.get(f"/analytics/table.csv?table=nothing&{YEAR}").status_code == 404


def test_a_supervisor_adds_a_target_through_the_form(client, council, bob) -> None:
    client.force_login(bob.user)
    bad = client.post("/analytics/targets/add/?year=2026", {"kind": "first_response",
                                                             "percent": "50"})
    assert bad.status_code == 400
    assert "Choose the response target or a time from the list" in bad.content.decode()
    good = client.post("/analytics/targets/add/?year=2026", {
        "kind": "first_response", "percent": "50", "office_minutes": "120"})
    assert good.status_code == 302 and good["Location"] == "/analytics/targets/?year=2026"
    target = Target.objects.get(council=council)
    assert (target.year, target.office_minutes) == (2026, 120)
    page = client.get("/analytics/targets/?year=2026")
    assert "Median first reply within 2 h of office time" in page.content.decode()
    client.post(f"/analytics/targets/{target.pk}/remove/")
    assert not Target.objects.exists()
    # Within each conversation's own response target (by category and priority).
    own = client.post("/analytics/targets/add/?year=2026", {
        "kind": "resolution", "percent": "90", "office_minutes": "target"})
    assert own.status_code == 302
    target = Target.objects.get(council=council)
    assert (target.kind, target.office_minutes) == ("resolution", None)
    page = client.get("/analytics/targets/?year=2026").content.decode()
    assert "90% of conversations resolved within their resolution target" in page
    form = client.get(f"/analytics/targets/{target.pk}/").context["form"]
    assert form["office_minutes"].value() == "target"


def test_wards_are_for_administrators_and_recount_every_conversation(client, council, bob,
                                                                      dave, threads) -> None:
    client.force_login(bob.user)
    assert client.get("/analytics/wards/").status_code == 403
    client.force_login(dave.user)
    response = client.post("/analytics/wards/add/", {
        "name": "Millbrook", "postcode_districts": "AC1", "streets": "Mill Lane\nHigh Street"})
    assert response.status_code == 302
    ward = Ward.objects.get(council=council)
    assert ward.postcode_districts == ["AC1"] and ward.streets == ["Mill Lane", "High Street"]
    assert RollupState.objects.get(council=council).rebuild_needed
    dashboard = client.get(f"/analytics/?{YEAR}").context["dashboard"]
    rows = {row[0].text: row[1].value for row in dashboard.table("wards").rows}
    assert rows == {"Millbrook": 3, "Ward not known": 1}
    empty = client.post("/analytics/wards/add/", {"name": "Nowhere"})
    assert empty.status_code == 400
    assert "Enter at least one postcode district or street" in empty.content.decode()


def test_the_report_page_offers_the_download_and_the_monthly_email(client, council,
                                                                   bob) -> None:
    client.force_login(bob.user)
    page = client.get("/analytics/report/")
    assert "Download the report" in page.content.decode()
    client.post("/analytics/report/email/", {"subscribe": "yes"})
    assert client.get("/analytics/report/").context["subscribed"] is True
    assert AuditEvent.objects.filter(action="analytics.report_subscribed").exists()
    client.post("/analytics/report/email/", {"subscribe": "no"})
    assert client.get("/analytics/report/").context["subscribed"] is False


def test_it_shows_what_is_rising_this_week_and_live_incidents(client, council, bob,
                                                               make_thread) -> None:
    from django.utils import timezone

    from townhall.inbox.models import Message
    from townhall.triage.models import Incident, IncidentMember
    from townhall.triage.services import taxonomy_install

    taxonomy_install(council=council)
    now = timezone.now()
    made = [make_thread(at=now - timedelta(hours=5 + 6 * n),
                        text=f"Rats everywhere near the overflowing bins, number {n}")
            for n in range(7)]
    make_thread(at=now - timedelta(days=20), text="Rats by the bins again")
    incident = Incident.objects.create(council=council, key="k1", category_code="pests",
                                       first_at=now - timedelta(hours=8), last_at=now,
                                       message_count=3)
    for thread in made[:3]:
        IncidentMember.objects.create(incident=incident, message=Message.objects.filter(
            conversation=thread).first())
    client.force_login(bob.user)
    dashboard = client.get("/analytics/").context["dashboard"]
    words = {row[0].text: row for row in dashboard.table("emerging-terms").rows}
    assert words["rats"][1].value == 7 and words["rats"][2].text == "0.2"
    assert "everywhere" in words and "number" in words
    rising = dashboard.table("emerging-categories").rows
    assert rising and rising[0][1].value == 7
    listed = client.get(rising[0][1].url).context["figure"]
    assert listed.total == 7
    incidents = dashboard.table("incidents").rows
    assert incidents[0][1].value == 3
    assert client.get(incidents[0][1].url).context["figure"].total == 3


@pytest.mark.django_db(transaction=True)
def test_many_late_messages_are_counted_in_the_background(client, council, bob, threads,
                                                          monkeypatch) -> None:
    from townhall.analytics import rollups, tasks, views
    from townhall.analytics.tests.conftest import ingest

    client.force_login(bob.user)
    client.get(f"/analytics/?{YEAR}")
    for n in range(5):
        ingest(council, platform_message_id=f"late{n}", thread_id=f"late{n}",
               author=f"late{n}", text="Bins missed again",
               created_at=f"2026-05-1{n}T10:00:00+01:00")
    monkeypatch.setattr(rollups, "INLINE_DAYS", 2)
    # Five days of late messages is more than a page waits for. The page asks for a
    # background refresh; the test starts that refresh's thread once the page is done
    # (SQLite's in-memory test database cannot be written by one thread while another
    # reads it) and waits for it.
    asked = []
    monkeypatch.setattr(views, "refresh_soon", asked.append)
    page = client.get(f"/analytics/?{YEAR}")
    assert "They are being added now" in page.content.decode()
    assert page.context["dashboard"].headlines[1].text == "4"
    assert asked == [council.pk]
    tasks.refresh_soon(council.pk).join(timeout=60)
    assert client.get(f"/analytics/?{YEAR}").context["dashboard"].headlines[1].text == "9"
    # A council with big months never waits for a recount, however few the changes.
    from django.utils import timezone

    ingest(council, platform_message_id="today", thread_id="today", author="x",
           text="Bins", created_at=timezone.now().isoformat())
    rollups.rollups_refresh(council=council)
    monkeypatch.setattr(rollups, "INLINE_MONTH", 0)
    ingest(council, platform_message_id="one-more", thread_id="one-more", author="x",
           text="And another", created_at=timezone.now().isoformat())
    page = client.get(f"/analytics/?{YEAR}")
    assert "They are being added now" in page.content.decode()
    assert asked == [council.pk, council.pk]
