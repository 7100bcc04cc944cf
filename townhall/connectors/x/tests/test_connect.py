"""An admin connects an X account with OAuth 2.0 and PKCE; the connector then renews
the two-hour access token with the refresh token, and keeps the new pair."""

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from townhall.connectors.credentials import secrets_decrypt
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.registry import connector_for
from townhall.connectors.services import channel_create
from townhall.connectors.x.tests.fake_x import (
    CLIENT_ID,
    CLIENT_SECRET,
    CONSUMER_SECRET,
    USER_ID,
    FakeX,
)
from townhall.core.models import AuditEvent


@pytest.fixture
def x_app(x_api: FakeX, monkeypatch: pytest.MonkeyPatch) -> FakeX:
    monkeypatch.setenv("TOWNHALL_X_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("TOWNHALL_X_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("TOWNHALL_X_CONSUMER_SECRET", CONSUMER_SECRET)
    monkeypatch.setenv("TOWNHALL_X_API_URL", x_api.base_url)
    monkeypatch.setenv("TOWNHALL_X_AUTHORIZE_URL", f"{x_api.base_url}/i/oauth2/authorize")
    return x_api


@pytest.fixture
def account(council: Any) -> Any:
    channel, _ = channel_create(council=council, platform="x", handle="AfonCouncil")
    return channel


def sign_in(client: Any, channel: Any, fake: FakeX) -> Any:
    location = client.post(f"/manage/channels/{channel.pk}/connect/sign-in/")["Location"]
    query = {k: v[-1] for k, v in parse_qs(urlsplit(location).query).items()}
    assert location.startswith(f"{fake.base_url}/i/oauth2/authorize?")
    assert query["code_challenge_method"] == "S256" and "offline.access" in query["scope"]
    # X's consent page: the person allows the app and X sends them back with a code.
    code = fake.authorize(challenge=query["code_challenge"], redirect_uri=query["redirect_uri"])
    return client.get("/manage/channels/connect/x/return/",
                      {"code": code, "state": query["state"]})


def test_an_admin_connects_an_x_account_with_oauth2_and_pkce(client, dave, account,
                                                            x_app) -> None:
    client.force_login(dave.user)
    response = sign_in(client, account, x_app)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Channel connected" in text
    assert "the token works for @AfonCouncil" in text
    assert f"/connectors/x/{account.key}/webhook" in text
    credentials = ChannelCredentials.objects.get(channel=account)
    assert credentials.settings["auth"] == "oauth2"
    assert credentials.settings["user_id"] == USER_ID
    stored = secrets_decrypt(credentials.secrets_encrypted)
    assert stored["oauth2_access_token"] in x_app.live_bearers
    assert stored["oauth2_access_token"] not in text
    assert stored["oauth2_refresh_token"] not in str(list(AuditEvent.objects.values("data")))


def test_a_code_without_the_matching_verifier_is_refused_by_x(client, dave, account,
                                                              x_app) -> None:
    client.force_login(dave.user)
    location = client.post(f"/manage/channels/{account.pk}/connect/sign-in/")["Location"]
    query = {k: v[-1] for k, v in parse_qs(urlsplit(location).query).items()}
    # A code issued for some other challenge (another sign-in's) is worthless here.
    code = x_app.authorize(challenge="someone-elses-challenge",
                           redirect_uri=query["redirect_uri"])
    response = client.get("/manage/channels/connect/x/return/",
                          {"code": code, "state": query["state"]})
    assert response.status_code == 400
    assert "authorization code was invalid" in response.content.decode()
    assert not ChannelCredentials.objects.filter(channel=account).exists()


def test_the_access_token_is_renewed_before_it_runs_out_and_kept(client, dave, account,
                                                                 x_app) -> None:
    client.force_login(dave.user)
    sign_in(client, account, x_app)
    first = secrets_decrypt(ChannelCredentials.objects.get(channel=account).secrets_encrypted)
    # Two hours later the access token is about to expire.
    credentials = ChannelCredentials.objects.get(channel=account)
    ChannelCredentials.objects.filter(pk=credentials.pk).update(
        secrets_encrypted=_with(credentials, oauth2_expires_at=str(int(time.time()) + 30)))

    assert connector_for(account).check().ok
    renewed = secrets_decrypt(ChannelCredentials.objects.get(channel=account).secrets_encrypted)
    assert x_app.refreshes == 1
    assert renewed["oauth2_access_token"] != first["oauth2_access_token"]
    assert renewed["oauth2_refresh_token"] != first["oauth2_refresh_token"]
    assert float(renewed["oauth2_expires_at"]) > time.time() + 7000
    assert AuditEvent.objects.filter(action="channel.credentials_renewed").count() == 1

    # A second connector, made before the renewal, uses the stored pair and does not
    # spend the (now used) old refresh token.
    assert connector_for(account).check().ok
    assert x_app.refreshes == 1


def test_a_worker_holding_a_spent_token_picks_up_the_one_another_renewed(
        client, dave, account, x_app) -> None:
    client.force_login(dave.user)
    sign_in(client, account, x_app)
    credentials = ChannelCredentials.objects.get(channel=account)
    ChannelCredentials.objects.filter(pk=credentials.pk).update(
        secrets_encrypted=_with(credentials, oauth2_expires_at=str(int(time.time()) + 30)))
    early, late = connector_for(account), connector_for(account)
    assert early.check().ok  # renews
    assert late.check().ok  # finds the renewed pair instead of refreshing again
    assert x_app.refreshes == 1


def _with(credentials: ChannelCredentials, **values: str) -> str:
    from townhall.connectors.credentials import secrets_encrypt

    return secrets_encrypt({**secrets_decrypt(credentials.secrets_encrypted), **values})


def test_typed_in_oauth1_keys_still_connect(client, dave, account, x_api) -> None:
    from townhall.connectors.x.tests.fake_x import (
        ACCESS_TOKEN,
        ACCESS_TOKEN_SECRET,
        CONSUMER_KEY,
    )

    ChannelCredentials.objects.create(channel=account, settings={"api_url": x_api.base_url})
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{account.pk}/connect/", {
        "user_id": USER_ID, "consumer_key": CONSUMER_KEY, "consumer_secret": CONSUMER_SECRET,
        "access_token": ACCESS_TOKEN, "access_token_secret": ACCESS_TOKEN_SECRET})
    text = response.content.decode()
    assert "Channel connected" in text
    for secret in (CONSUMER_SECRET, ACCESS_TOKEN, ACCESS_TOKEN_SECRET):
        assert secret not in text
    assert ChannelCredentials.objects.get(channel=account).settings["auth"] == "oauth1"
