"""Connecting channels in a real browser: Mastodon's sign-in end to end against a local
fake server, Meta's login with its Page choice, and Bluesky's form by keyboard. Every
page on the way is checked with axe."""

import pytest
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.connectors.bluesky.connector import sessions_forget
from townhall.connectors.bluesky.tests.fake_bluesky import APP_PASSWORD, HANDLE, FakeBluesky
from townhall.connectors.credentials import secrets_decrypt
from townhall.connectors.facebook.tests.fake_graph import PAGE_ID, PAGE_TOKEN, FakeGraph
from townhall.connectors.facebook.tests.fake_login import APP_ID, APP_SECRET, MetaLoginRoutes
from townhall.connectors.mastodon.tests.fake_mastodon import TOKEN, FakeMastodon
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.services import channel_create
from townhall.core.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fake_servers_allowed(settings):
    settings.TOWNHALL_CONNECT_INSECURE_HOSTS = ["127.0.0.1"]


def test_an_admin_connects_mastodon_by_signing_in_on_the_server(
        live_server, page, council, dave, fake_servers_allowed) -> None:
    fake = FakeMastodon()
    try:
        channel, _ = channel_create(council=council, platform="mastodon", handle="afoncouncil")
        sign_in(page, live_server.url, "dave", PASSWORD)
        page.goto(f"{live_server.url}/manage/channels/{channel.pk}/")
        page.get_by_role("link", name="Connect").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Connect afoncouncil")
        assert axe_violations(page) == []

        page.get_by_label("Server address").first.fill(fake.base_url)
        page.get_by_role("button", name="Continue to the server").click()
        # Now on the Mastodon server's own page.
        expect(page.get_by_role("heading", name="Authorisation required")).to_be_visible()
        page.get_by_role("link", name="Authorise").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Channel connected")
        expect(page.locator("#check-lines")).to_contain_text("the token works for @afoncouncil")
        assert axe_violations(page) == []
        assert TOKEN not in page.content()
        stored = ChannelCredentials.objects.get(channel=channel)
        assert secrets_decrypt(stored.secrets_encrypted) == {"access_token": TOKEN}

        page.get_by_role("button", name="Check again").click()
        expect(page.get_by_text("Checked: the channel works.")).to_be_visible()
        expect(page.locator("#connection-status")).to_contain_text("Working")
        assert axe_violations(page) == []
    finally:
        fake.close()


def test_an_admin_connects_a_facebook_page_and_chooses_it(
        live_server, page, council, dave, monkeypatch) -> None:
    graph = FakeGraph()
    try:
        MetaLoginRoutes(graph, pages=[{"id": PAGE_ID, "name": "Afon Borough Council",
                                       "access_token": PAGE_TOKEN}])
        monkeypatch.setenv("TOWNHALL_META_APP_ID", APP_ID)
        monkeypatch.setenv("TOWNHALL_META_APP_SECRET", APP_SECRET)
        monkeypatch.setenv("TOWNHALL_META_GRAPH_URL", graph.base_url)
        monkeypatch.setenv("TOWNHALL_META_DIALOG_URL", f"{graph.base_url}/dialog/oauth")
        channel, _ = channel_create(council=council, platform="facebook", handle="afoncouncil")
        sign_in(page, live_server.url, "dave", PASSWORD)
        page.goto(f"{live_server.url}/manage/channels/{channel.pk}/connect/")
        page.get_by_role("button", name="Sign in with Facebook").click()
        page.get_by_role("link", name="Continue").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Which Facebook Page is this channel?")
        assert axe_violations(page) == []
        page.get_by_role("button", name="Connect this account").click()
        expect(page.get_by_role("link", name="Choose one of the accounts")).to_be_visible()
        assert axe_violations(page) == []
        page.get_by_label("Afon Borough Council").check()
        page.get_by_role("button", name="Connect this account").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Channel connected")
        verify = secrets_decrypt(ChannelCredentials.objects.get(
            channel=channel).secrets_encrypted)["verify_token"]
        expect(page.locator("#shown-once-1")).to_have_text(verify)
        assert axe_violations(page) == []
        page.get_by_role("link", name="Go to the channel's connection").click()
        assert verify not in page.content()
    finally:
        graph.close()


def test_an_admin_connects_bluesky_with_the_keyboard(live_server, page, council, dave,
                                                     fake_servers_allowed) -> None:
    sessions_forget()
    fake = FakeBluesky()
    try:
        channel, _ = channel_create(council=council, platform="bluesky", handle=HANDLE)
        sign_in(page, live_server.url, "dave", PASSWORD)
        page.goto(f"{live_server.url}/manage/channels/{channel.pk}/connect/")
        page.get_by_role("button", name="Save and check").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("link", name="Enter the account's handle")).to_be_visible()
        assert axe_violations(page) == []

        page.get_by_label("Handle").fill(HANDLE)
        page.keyboard.press("Tab")
        page.keyboard.type(APP_PASSWORD)
        page.get_by_label("Server address (optional)").fill(fake.base_url)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Channel connected")
        assert APP_PASSWORD not in page.content()
        assert axe_violations(page) == []
    finally:
        fake.close()
        sessions_forget()


def test_the_problem_page_and_a_channel_without_a_connector_are_accessible(
        live_server, page, council, dave, webform) -> None:
    channel, _ = webform
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.goto(f"{live_server.url}/manage/channels/connect/mastodon/return/?code=x&state=y")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Townhall could not connect the channel")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/manage/channels/{channel.pk}/connect/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connect report-it")
    assert axe_violations(page) == []
