import re

import pytest
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.connectors.models import Channel
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.triage.models import Category
from townhall.triage.services import taxonomy_install

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_creates_a_channel_and_sees_its_secret_once(live_server, page, council,
                                                             dave) -> None:
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.get_by_role("link", name="Manage").click()
    page.get_by_role("navigation", name="Manage").get_by_role("link", name="Channels").click()
    page.get_by_role("button", name="Add a channel").click()
    page.get_by_label("Platform", exact=True).select_option("bluesky")
    page.get_by_label("Account name on the platform").fill("afon.example")
    page.get_by_role("button", name="Add channel").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Channel added")
    secret = page.locator("#webhook-secret").inner_text()
    channel = Channel.objects.get(council=council, handle="afon.example")
    assert channel.webhook_secret == secret
    assert page.locator("#webhook-url").inner_text() == f"{live_server.url}/ingest/{channel.key}"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Go to the channel").click()
    assert secret not in page.content()
    page.reload()
    assert secret not in page.content()


def test_an_admin_edits_a_category(live_server, page, council, dave) -> None:
    category = taxonomy_install(council=council)[0]
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.goto(f"{live_server.url}/manage/categories/")
    page.get_by_role("link", name=category.name, exact=True).click()
    page.get_by_label("Name", exact=True).fill("Missed bins")
    page.get_by_label("Example messages").fill("bin not emptied\nrecycling left on the street")
    page.get_by_label("Self-service web address").fill("https://www.example.gov.uk/bins")
    page.get_by_role("button", name="Save category").click()

    expect(page.get_by_text("Category saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Missed bins")).to_be_visible()
    category.refresh_from_db()
    assert category.examples == ["bin not emptied", "recycling left on the street"]


def test_an_invalid_form_names_each_problem_accessibly(live_server, page, dave) -> None:
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.goto(f"{live_server.url}/manage/users/invite/")
    page.get_by_role("button", name="Add person").click()
    expect(page).to_have_title(re.compile("^Error:"))
    expect(page.get_by_role("link", name="Enter their first name")).to_be_visible()
    assert axe_violations(page) == []


def test_every_admin_page_has_no_serious_accessibility_problem(
    live_server, page, council, dave, alice, customer_services, webform
) -> None:
    channel, _ = webform
    category = taxonomy_install(council=council)[0]
    assert Category.objects.filter(council=council).exists()
    sign_in(page, live_server.url, "dave", PASSWORD)
    paths = [
        "/manage/", "/manage/users/", "/manage/users/invite/", f"/manage/users/{alice.pk}/",
        f"/manage/users/{alice.pk}/role/", f"/manage/users/{alice.pk}/teams/",
        f"/manage/users/{alice.pk}/password/", f"/manage/users/{alice.pk}/deactivate/",
        "/manage/teams/", "/manage/teams/add/", f"/manage/teams/{customer_services.pk}/",
        f"/manage/teams/{customer_services.pk}/rename/",
        f"/manage/teams/{customer_services.pk}/members/",
        "/manage/channels/", "/manage/channels/add/", f"/manage/channels/{channel.pk}/",
        f"/manage/channels/{channel.pk}/rotate/",
        "/manage/categories/", "/manage/categories/add/", f"/manage/categories/{category.pk}/",
        "/manage/audit/", "/manage/audit/?action=auth.signed_in", "/logout/",
    ]
    found = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        if problems := axe_violations(page):
            found[path] = problems
    page.goto(f"{live_server.url}/manage/users/{alice.pk}/password/")
    page.get_by_role("button", name="Create one-time password").click()
    if problems := axe_violations(page):
        found["one-time password"] = problems
    assert found == {}


def test_a_supervisors_read_only_pages_have_no_serious_accessibility_problem(
    live_server, page, bob, alice, customer_services
) -> None:
    sign_in(page, live_server.url, "bob", PASSWORD)
    found = {}
    for path in ["/manage/", "/manage/users/", f"/manage/users/{alice.pk}/", "/manage/teams/",
                 f"/manage/teams/{customer_services.pk}/"]:
        page.goto(f"{live_server.url}{path}")
        if problems := axe_violations(page):
            found[path] = problems
    assert found == {}
