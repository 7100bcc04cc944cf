"""An admin connects a Facebook Page: through Meta's login dialog or by pasting a token.

The login dialog itself is Meta's page in the person's browser; these tests play its
part by coming back to Townhall with the code and the state, as Meta would.
"""

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from townhall.accounts.models import Role
from townhall.conftest import _member
from townhall.connectors.credentials import secrets_decrypt
from townhall.connectors.facebook.tests.fake_graph import PAGE_ID, PAGE_TOKEN, FakeGraph
from townhall.connectors.facebook.tests.fake_login import (
    APP_ID,
    APP_SECRET,
    LOGIN_CODE,
    MetaLoginRoutes,
)
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.services import channel_create
from townhall.core.lib.signatures import sign
from townhall.core.models import AuditEvent
from townhall.inbox.models import Message
from townhall.manage.views.connect import SESSION_KEY

OTHER_PAGE = {"id": "209876543210987", "name": "Afon Leisure Centres",
              "access_token": "EAAB-leisure-page-token"}


@pytest.fixture
def meta(graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> MetaLoginRoutes:
    monkeypatch.setenv("TOWNHALL_META_APP_ID", APP_ID)
    monkeypatch.setenv("TOWNHALL_META_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("TOWNHALL_META_GRAPH_URL", graph.base_url)
    return MetaLoginRoutes(graph, pages=[
        {"id": PAGE_ID, "name": "Afon Borough Council", "access_token": PAGE_TOKEN},
        OTHER_PAGE])


@pytest.fixture
def page_channel(council: Any) -> Any:
    channel, _ = channel_create(council=council, platform="facebook", handle="afoncouncil")
    return channel


def start(client: Client, channel: Any) -> dict[str, str]:
    """Press "Sign in with Facebook"; return the dialog's query parameters."""
    response = client.post(f"/manage/channels/{channel.pk}/connect/sign-in/")
    assert response.status_code == 302
    return {k: v[-1] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


def come_back(client: Client, **query: str) -> Any:
    return client.get("/manage/channels/connect/facebook/return/", query)


def test_an_admin_connects_a_page_through_metas_login(client, dave, page_channel, meta,
                                                      graph) -> None:
    client.force_login(dave.user)
    dialog = start(client, page_channel)
    assert dialog["client_id"] == APP_ID
    assert "pages_messaging" in dialog["scope"]
    assert dialog["redirect_uri"].endswith("/manage/channels/connect/facebook/return/")

    choose = come_back(client, code=LOGIN_CODE, state=dialog["state"])
    assert choose.status_code == 302
    page = client.get(choose["Location"]).content.decode()
    assert "Afon Borough Council" in page and "Afon Leisure Centres" in page
    assert PAGE_TOKEN not in page  # Page tokens stay in the encrypted session.

    done = client.post(choose["Location"], {"account": PAGE_ID})
    text = done.content.decode()
    assert done.status_code == 200
    assert "Channel connected" in text
    assert "the token works for the Page &#x27;Afon Borough Council&#x27;" in text
    assert meta.redirect_uris == [dialog["redirect_uri"]]
    assert meta.subscribed == [(PAGE_ID, "feed,messages,message_echoes")]

    credentials = ChannelCredentials.objects.get(channel=page_channel)
    stored = secrets_decrypt(credentials.secrets_encrypted)
    assert stored["page_access_token"] == PAGE_TOKEN
    assert PAGE_TOKEN not in credentials.secrets_encrypted
    assert credentials.settings["page_id"] == PAGE_ID
    assert credentials.settings["app_secret_env"] == "TOWNHALL_META_APP_SECRET"
    # The verify token is shown once, on this page, and works for Meta's handshake.
    verify = stored["verify_token"]
    assert verify in text
    assert f"/connectors/facebook/{page_channel.key}/webhook" in text
    handshake = Client().get(f"/connectors/facebook/{page_channel.key}/webhook", {
        "hub.mode": "subscribe", "hub.verify_token": verify, "hub.challenge": "31337"})
    assert handshake.content == b"31337"
    # The app secret from the environment checks the Page's webhooks.
    body = (graph_fixture("messenger_text.json"))
    posted = Client().post(f"/connectors/facebook/{page_channel.key}/webhook", data=body,
                           content_type="application/json",
                           headers={"X-Hub-Signature-256": sign(APP_SECRET, body)})
    assert posted.status_code == 200
    assert Message.objects.filter(channel=page_channel).count() == 1

    later = client.get(f"/manage/channels/{page_channel.pk}/connect/").content.decode()
    assert verify not in later and PAGE_TOKEN not in later
    assert "page_access_token: set" in later and "Working" in later
    event = AuditEvent.objects.get(action="channel.credentials_replaced")
    assert event.actor == dave.user
    assert event.data["description"] == ("Credentials for channel Facebook afoncouncil were "
                                         "replaced by dave (signed in on Facebook).")
    everything = json.dumps(list(AuditEvent.objects.values("data")))
    for secret in (PAGE_TOKEN, verify, APP_SECRET, "EAAB-long-lived-user-token"):
        assert secret not in everything


def graph_fixture(name: str) -> bytes:
    from townhall.connectors.facebook.tests.fake_graph import FIXTURES

    return (FIXTURES / "webhooks" / name).read_bytes()


def test_a_callback_with_the_wrong_state_is_ignored(client, dave, page_channel, meta) -> None:
    client.force_login(dave.user)
    start(client, page_channel)
    response = come_back(client, code=LOGIN_CODE, state="forged-state")
    assert response.status_code == 400
    assert "does not match the sign-in you started" in response.content.decode()
    assert meta.codes_used == []
    assert not ChannelCredentials.objects.filter(channel=page_channel).exists()


def test_a_callback_with_no_sign_in_started_is_refused(client, dave, page_channel,
                                                       meta) -> None:
    client.force_login(dave.user)
    response = come_back(client, code=LOGIN_CODE, state="anything")
    assert response.status_code == 400
    assert "no sign-in in progress" in response.content.decode()
    assert meta.codes_used == []


def test_a_callback_cannot_be_used_twice(client, dave, page_channel, meta) -> None:
    client.force_login(dave.user)
    dialog = start(client, page_channel)
    assert come_back(client, code=LOGIN_CODE, state=dialog["state"]).status_code == 302
    again = come_back(client, code=LOGIN_CODE, state=dialog["state"])
    assert again.status_code == 400
    assert len(meta.codes_used) == 1


def test_a_sign_in_started_by_one_admin_cannot_be_finished_by_another(
        client, council, dave, page_channel, meta) -> None:
    other = _member(council, "frank", Role.ADMIN, [])
    client.force_login(dave.user)
    dialog = start(client, page_channel)
    sealed = client.session[SESSION_KEY]
    # Another admin somehow holds dave's sign-in (signing in afresh empties a session,
    # so this takes copying it across) and comes back with its state.
    other_browser = Client()
    other_browser.force_login(other.user)
    session = other_browser.session
    session[SESSION_KEY] = sealed
    session.save()
    response = other_browser.get("/manage/channels/connect/facebook/return/",
                                 {"code": LOGIN_CODE, "state": dialog["state"]})
    assert response.status_code == 400
    assert "started by someone else" in response.content.decode()
    assert meta.codes_used == []


def test_a_refusal_at_meta_changes_nothing(client, dave, page_channel, meta) -> None:
    client.force_login(dave.user)
    dialog = start(client, page_channel)
    response = come_back(client, error="access_denied", error_reason="user_denied",
                         state=dialog["state"])
    assert response.status_code == 400
    assert "You did not allow Townhall" in response.content.decode()
    assert not ChannelCredentials.objects.filter(channel=page_channel).exists()


def test_only_a_listed_page_can_be_chosen(client, dave, page_channel, meta) -> None:
    client.force_login(dave.user)
    dialog = start(client, page_channel)
    choose = come_back(client, code=LOGIN_CODE, state=dialog["state"])["Location"]
    response = client.post(choose, {"account": "999999999"})
    assert response.status_code == 400
    assert "Choose one of the accounts" in response.content.decode()
    assert not ChannelCredentials.objects.filter(channel=page_channel).exists()


def test_sign_in_is_not_offered_without_the_councils_meta_app(client, dave, page_channel,
                                                              monkeypatch) -> None:
    monkeypatch.delenv("TOWNHALL_META_APP_ID", raising=False)
    client.force_login(dave.user)
    page = client.get(f"/manage/channels/{page_channel.pk}/connect/").content.decode()
    assert "set TOWNHALL_META_APP_ID" in page
    response = client.post(f"/manage/channels/{page_channel.pk}/connect/sign-in/")
    assert response.status_code == 302 and response["Location"].endswith("/connect/")


def test_starting_a_sign_in_needs_the_csrf_token(dave, page_channel, meta) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{page_channel.pk}/connect/sign-in/")
    assert response.status_code == 403


def test_an_admin_pastes_a_page_token_by_hand(client, dave, page_channel, graph,
                                             monkeypatch) -> None:
    monkeypatch.setenv("TOWNHALL_META_APP_SECRET", APP_SECRET)
    ChannelCredentials.objects.create(channel=page_channel,
                                      settings={"graph_url": graph.base_url})
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{page_channel.pk}/connect/", {
        "page_id": PAGE_ID, "page_access_token": PAGE_TOKEN, "human_agent_tag": "on"})
    text = response.content.decode()
    assert "Channel connected" in text
    credentials = ChannelCredentials.objects.get(channel=page_channel)
    assert credentials.settings["human_agent_tag"] is True
    assert credentials.settings["graph_url"] == graph.base_url
    assert secrets_decrypt(credentials.secrets_encrypted)["page_access_token"] == PAGE_TOKEN

    # Saved again with the token box empty: the stored token is kept, never shown.
    page = client.get(f"/manage/channels/{page_channel.pk}/connect/").content.decode()
    assert PAGE_TOKEN not in page and "Leave this empty to keep it" in page
    again = client.post(f"/manage/channels/{page_channel.pk}/connect/", {"page_id": PAGE_ID})
    assert "Channel connected" in again.content.decode()
    credentials.refresh_from_db()
    assert secrets_decrypt(credentials.secrets_encrypted)["page_access_token"] == PAGE_TOKEN
    assert credentials.settings["human_agent_tag"] is False


def test_a_wrong_pasted_token_is_saved_and_the_check_says_so(client, dave, page_channel,
                                                            graph, monkeypatch) -> None:
    monkeypatch.setenv("TOWNHALL_META_APP_SECRET", APP_SECRET)
    ChannelCredentials.objects.create(channel=page_channel,
                                      settings={"graph_url": graph.base_url})
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{page_channel.pk}/connect/", {
        "page_id": PAGE_ID, "page_access_token": "EAAB-not-the-token"})
    text = response.content.decode()
    assert "the check found a problem" in text
    assert "Invalid OAuth access token" in text
    assert "EAAB-not-the-token" not in text


def test_a_form_with_mistakes_names_them_and_echoes_no_secret(client, dave,
                                                              page_channel) -> None:
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{page_channel.pk}/connect/", {
        "page_id": "my page", "page_access_token": "EAAB-typed-token",
        "app_secret": "typed-app-secret"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "The Page id is a number" in text
    assert "EAAB-typed-token" not in text and "typed-app-secret" not in text
    assert not ChannelCredentials.objects.filter(channel=page_channel).exists()
