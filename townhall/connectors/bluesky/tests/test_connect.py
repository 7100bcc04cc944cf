"""An admin connects a Bluesky account with its handle and an app password; the check
signs in (com.atproto.server.createSession) and says whether that worked."""

from typing import Any

import pytest

from townhall.connectors.bluesky.tests.fake_bluesky import APP_PASSWORD, HANDLE, FakeBluesky
from townhall.connectors.credentials import secrets_decrypt
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.services import channel_create


@pytest.fixture
def account(council: Any, settings: Any) -> Any:
    settings.TOWNHALL_CONNECT_INSECURE_HOSTS = ["127.0.0.1"]
    channel, _ = channel_create(council=council, platform="bluesky", handle=HANDLE)
    return channel


def test_an_admin_connects_with_a_handle_and_app_password(client, dave, account,
                                                         bluesky: FakeBluesky) -> None:
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{account.pk}/connect/", {
        "identifier": f"@{HANDLE}", "app_password": APP_PASSWORD,
        "service_url": bluesky.base_url})
    text = response.content.decode()
    assert "Channel connected" in text
    assert f"signed in as @{HANDLE}" in text
    assert bluesky.sessions_created == 1
    credentials = ChannelCredentials.objects.get(channel=account)
    assert credentials.settings == {"identifier": HANDLE, "service_url": bluesky.base_url}
    assert secrets_decrypt(credentials.secrets_encrypted) == {"app_password": APP_PASSWORD}
    assert APP_PASSWORD not in text


def test_a_wrong_app_password_is_reported_in_plain_words(client, dave, account,
                                                        bluesky: FakeBluesky) -> None:
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{account.pk}/connect/", {
        "identifier": HANDLE, "app_password": "wxyz-wxyz-wxyz-wxyz",
        "service_url": bluesky.base_url})
    text = response.content.decode()
    assert "the check found a problem" in text
    assert "Bluesky refused the handle or app password" in text
    assert "wxyz-wxyz-wxyz-wxyz" not in text


def test_the_main_password_shape_is_refused_before_anything_is_stored(client, dave,
                                                                      account) -> None:
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{account.pk}/connect/", {
        "identifier": HANDLE, "app_password": "my main password"})
    assert response.status_code == 400
    assert "An app password looks like abcd-efgh-ijkl-mnop" in response.content.decode()
    assert not ChannelCredentials.objects.filter(channel=account).exists()


def test_a_plain_http_server_is_refused_unless_allowed(client, dave, account, settings) -> None:
    settings.TOWNHALL_CONNECT_INSECURE_HOSTS = []
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{account.pk}/connect/", {
        "identifier": HANDLE, "app_password": APP_PASSWORD,
        "service_url": "http://pds.example.org"})
    assert response.status_code == 400
    assert "must start with https://" in response.content.decode()
