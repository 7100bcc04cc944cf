import pytest
from django.utils import timezone
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.connectors.base import CheckResult
from townhall.connectors.health import channel_check_record
from townhall.connectors.services import channel_create, channel_credentials_set
from townhall.core.scheduler.runs import task_rows_ensure, task_run
from townhall.core.scheduler.schedule import entry_named, schedule_entries
from townhall.core.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_sees_the_background_work_and_when_it_ran(live_server, page, dave) -> None:
    entry = entry_named("send-queued-replies")
    row = task_rows_ensure(entries=schedule_entries(), now=timezone.now())[entry.name]
    assert task_run(entry=entry, row=row, owner="test").ok
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.get_by_role("link", name="Manage").click()
    page.get_by_role("navigation", name="Manage").get_by_role(
        "link", name="Background work").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Background work")
    row = page.get_by_role("row").filter(has_text="Send replies waiting to go out")
    expect(row).to_contain_text("Every minute")
    expect(row).to_contain_text("today")
    expect(row).to_contain_text("Succeeded")
    expect(page.get_by_role("row").filter(has_text="Email last month's committee report")) \
        .to_contain_text("On the 1st of each month at 07:00")
    assert axe_violations(page) == []


def test_a_broken_channel_is_shown_accessibly_with_a_way_to_fix_it(live_server, page, council,
                                                                   dave) -> None:
    channel, _ = channel_create(council=council, platform="mastodon", handle="afoncouncil")
    channel_credentials_set(channel=channel, settings={"instance_url": "https://mastodon.example"},
                            secrets={"access_token": "revoked-token-value"})
    channel_check_record(channel=channel, result=CheckResult(
        credentials_ok=True, reachable=False, lines=[
            "The server address and access token are set.",
            "Mastodon could not be reached: Mastodon refused the request (HTTP 401): The "
            "access token is invalid."]))
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.goto(f"{live_server.url}/manage/channels/")

    cell = page.get_by_role("row").filter(has_text="afoncouncil")
    expect(cell).to_contain_text("Not working since")
    expect(cell).to_contain_text("The access token is invalid.")
    assert axe_violations(page) == []
    cell.get_by_role("link", name="Reconnect or check again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connect afoncouncil")
    page.goto(f"{live_server.url}/manage/channels/{channel.pk}/")
    expect(page.get_by_text("Not working since")).to_be_visible()
    assert axe_violations(page) == []
