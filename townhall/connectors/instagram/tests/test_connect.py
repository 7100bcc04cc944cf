"""An admin connects an Instagram account: Meta's login lists only Pages with a linked
Instagram professional account, and the channel keeps that account's id."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from townhall.connectors.credentials import secrets_decrypt
from townhall.connectors.facebook.tests.fake_login import (
    APP_ID,
    APP_SECRET,
    LOGIN_CODE,
    MetaLoginRoutes,
)
from townhall.connectors.instagram.tests.fake_graph import IG_USER_ID, PAGE_TOKEN, FakeInstagram
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.services import channel_create

LINKED = {"id": "104729381234567", "name": "Afon Borough Council", "access_token": PAGE_TOKEN,
          "instagram_business_account": {"id": IG_USER_ID, "username": "afoncouncil"}}
UNLINKED = {"id": "209876543210987", "name": "Afon Leisure Centres",
            "access_token": "EAAB-leisure-page-token"}


@pytest.fixture
def meta(instagram_api: FakeInstagram, monkeypatch: pytest.MonkeyPatch) -> MetaLoginRoutes:
    monkeypatch.setenv("TOWNHALL_META_APP_ID", APP_ID)
    monkeypatch.setenv("TOWNHALL_META_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("TOWNHALL_META_GRAPH_URL", instagram_api.base_url)
    return MetaLoginRoutes(instagram_api, pages=[LINKED, UNLINKED])


@pytest.fixture
def account(council: Any) -> Any:
    channel, _ = channel_create(council=council, platform="instagram", handle="afoncouncil")
    return channel


def test_an_admin_connects_the_instagram_account_linked_to_a_page(client, dave, account,
                                                                 meta) -> None:
    client.force_login(dave.user)
    location = client.post(f"/manage/channels/{account.pk}/connect/sign-in/")["Location"]
    dialog = {k: v[-1] for k, v in parse_qs(urlsplit(location).query).items()}
    assert "instagram_manage_messages" in dialog["scope"]
    choose = client.get("/manage/channels/connect/instagram/return/",
                        {"code": LOGIN_CODE, "state": dialog["state"]})["Location"]
    listed = client.get(choose).content.decode()
    assert "@afoncouncil" in listed
    assert "Afon Leisure Centres" not in listed  # No Instagram account linked to it.

    done = client.post(choose, {"account": LINKED["id"]}).content.decode()
    assert "Channel connected" in done
    assert "the token works for @afoncouncil" in done
    credentials = ChannelCredentials.objects.get(channel=account)
    assert credentials.settings["ig_user_id"] == IG_USER_ID
    assert credentials.settings["page_id"] == LINKED["id"]
    stored = secrets_decrypt(credentials.secrets_encrypted)
    assert stored["page_access_token"] == PAGE_TOKEN and stored["verify_token"] in done


def test_it_says_what_to_do_when_no_page_has_an_instagram_account(client, dave, account,
                                                                  meta) -> None:
    meta.pages[:] = [UNLINKED]
    client.force_login(dave.user)
    location = client.post(f"/manage/channels/{account.pk}/connect/sign-in/")["Location"]
    state = parse_qs(urlsplit(location).query)["state"][0]
    response = client.get("/manage/channels/connect/instagram/return/",
                          {"code": LOGIN_CODE, "state": state})
    assert response.status_code == 400
    assert "Link the Instagram account to the council&#x27;s Page" in response.content.decode()
    assert not ChannelCredentials.objects.filter(channel=account).exists()


def test_an_admin_enters_the_instagram_details_by_hand(client, dave, account, instagram_api,
                                                      monkeypatch) -> None:
    monkeypatch.setenv("TOWNHALL_META_APP_SECRET", APP_SECRET)
    ChannelCredentials.objects.create(channel=account,
                                      settings={"graph_url": instagram_api.base_url})
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{account.pk}/connect/", {
        "ig_user_id": IG_USER_ID, "page_access_token": PAGE_TOKEN})
    assert "Channel connected" in response.content.decode()
    credentials = ChannelCredentials.objects.get(channel=account)
    assert credentials.settings["ig_user_id"] == IG_USER_ID
    assert credentials.settings["human_agent_tag"] is False
