"""An admin connects a Mastodon account: Townhall registers itself on the council's
server, the person allows it there, and the code comes back for a token."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from townhall.connectors.credentials import secrets_decrypt
from townhall.connectors.mastodon.tests.fake_mastodon import ACCOUNT_ID, TOKEN, FakeMastodon
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.services import channel_create


@pytest.fixture
def account(council: Any, settings: Any) -> Any:
    settings.TOWNHALL_CONNECT_INSECURE_HOSTS = ["127.0.0.1"]
    channel, _ = channel_create(council=council, platform="mastodon", handle="afoncouncil")
    return channel


def allow_on_server(fake: FakeMastodon, location: str) -> str:
    """Open the server's authorisation page and press Authorise, as the person would;
    return where the server sends the browser back to."""
    page = requests.get(location, timeout=5)
    assert page.status_code == 200 and "Authorise" in page.text
    allowed = requests.get(location.replace("/oauth/authorize?", "/oauth/authorize/allow?"),
                           allow_redirects=False, timeout=5)
    assert allowed.status_code == 302
    return allowed.headers["Location"]


def test_an_admin_connects_through_the_councils_own_server(client, dave, account,
                                                          mastodon: FakeMastodon) -> None:
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{account.pk}/connect/sign-in/",
                           {"server": mastodon.base_url})
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(f"{mastodon.base_url}/oauth/authorize?")
    assert query["scope"] == ["read write:statuses"]
    app = mastodon.apps[query["client_id"][0]]
    assert app["name"] == "Townhall"
    assert app["redirect_uri"].endswith("/manage/channels/connect/mastodon/return/")

    back = urlsplit(allow_on_server(mastodon, location))
    done = client.get(back.path, {k: v[-1] for k, v in parse_qs(back.query).items()})
    text = done.content.decode()
    assert "Channel connected" in text
    assert "the token works for @afoncouncil" in text
    credentials = ChannelCredentials.objects.get(channel=account)
    assert credentials.settings["instance_url"] == mastodon.base_url
    assert credentials.settings["account_id"] == ACCOUNT_ID
    assert secrets_decrypt(credentials.secrets_encrypted) == {"access_token": TOKEN}
    assert TOKEN not in text and app["client_secret"] not in text


def test_an_unreachable_server_is_explained(client, dave, account) -> None:
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{account.pk}/connect/sign-in/",
                           {"server": "http://127.0.0.1:9"})
    assert response.status_code == 400
    assert "could not connect to Mastodon" in response.content.decode()
    assert "townhall_connect_login" not in client.session


def test_a_server_address_that_is_not_https_is_refused(client, dave, account,
                                                       settings) -> None:
    settings.TOWNHALL_CONNECT_INSECURE_HOSTS = []
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{account.pk}/connect/sign-in/",
                           {"server": "http://social.example.org"})
    assert response.status_code == 400
    assert "must start with https://" in response.content.decode()


def test_an_admin_pastes_an_access_token(client, dave, account, mastodon) -> None:
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{account.pk}/connect/", {
        "instance_url": mastodon.base_url, "access_token": TOKEN})
    assert "Channel connected" in response.content.decode()
    credentials = ChannelCredentials.objects.get(channel=account)
    assert credentials.settings == {"instance_url": mastodon.base_url}
