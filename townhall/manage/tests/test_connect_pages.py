"""Only an admin of the channel's council may connect it, check it or renew its token."""

import pytest
from django.test import Client

from townhall.connectors.credentials import secrets_decrypt
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.services import channel_create, channel_credentials_set
from townhall.core.models import AuditEvent


@pytest.fixture
def page(council):
    channel, _ = channel_create(council=council, platform="facebook", handle="afoncouncil")
    channel_credentials_set(channel=channel, settings={"page_id": "104729381234567",
                                                       "graph_url": "http://127.0.0.1:9"},
                            secrets={"page_access_token": "EAAB-stored-token",
                                     "verify_token": "stored-verify-token"})
    return channel


def paths(channel):
    base = f"/manage/channels/{channel.pk}/connect/"
    return {"get": [base, f"{base}choose/", "/manage/channels/connect/facebook/return/"],
            "post": [base, f"{base}sign-in/", f"{base}choose/", f"{base}check/",
                     f"{base}renew/"]}


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_officers_and_supervisors_cannot_connect_a_channel(client, request, page, who) -> None:
    member = request.getfixturevalue(who)
    client.force_login(member.user)
    for path in paths(page)["get"]:
        assert client.get(path).status_code == 403, path
    for path in paths(page)["post"]:
        response = client.post(path, {"page_id": "1", "page_access_token": "EAAB-theirs",
                                      "name": "verify_token", "account": "1"})
        assert response.status_code == 403, path
    stored = secrets_decrypt(ChannelCredentials.objects.get(channel=page).secrets_encrypted)
    assert stored["page_access_token"] == "EAAB-stored-token"
    assert not AuditEvent.objects.filter(action__startswith="channel.credentials_r").exists()


def test_another_councils_admin_sees_no_such_channel(client, eve, page) -> None:
    client.force_login(eve.user)
    for path in paths(page)["get"][:2]:
        assert client.get(path).status_code == 404, path
    for path in paths(page)["post"]:
        assert client.post(path, {"name": "verify_token"}).status_code in (404, 400), path


def test_a_stranger_is_sent_to_sign_in(client, page) -> None:
    response = client.get(f"/manage/channels/{page.pk}/connect/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("suffix", ["", "check/", "renew/"])
def test_every_connect_form_needs_the_csrf_token(dave, page, suffix) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{page.pk}/connect/{suffix}",
                           {"page_id": "104729381234567", "name": "verify_token"})
    assert response.status_code == 403
    stored = secrets_decrypt(ChannelCredentials.objects.get(channel=page).secrets_encrypted)
    assert stored["verify_token"] == "stored-verify-token"


def test_the_connect_page_shows_that_secrets_are_set_but_never_their_values(
        client, dave, page) -> None:
    client.force_login(dave.user)
    text = client.get(f"/manage/channels/{page.pk}/connect/").content.decode()
    assert "page_access_token: set" in text and "verify_token: set" in text
    assert "EAAB-stored-token" not in text and "stored-verify-token" not in text
    assert f"/connectors/facebook/{page.key}/webhook" in text
    detail = client.get(f"/manage/channels/{page.pk}/").content.decode()
    assert "Connected" in detail and f"/manage/channels/{page.pk}/connect/" in detail


def test_a_new_verify_token_is_shown_once_and_audited(client, dave, page) -> None:
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{page.pk}/connect/renew/",
                           {"name": "verify_token"})
    stored = secrets_decrypt(ChannelCredentials.objects.get(channel=page).secrets_encrypted)
    assert stored["verify_token"] != "stored-verify-token"
    assert stored["verify_token"] in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert stored["verify_token"] not in client.get(
        f"/manage/channels/{page.pk}/connect/").content.decode()
    event = AuditEvent.objects.get(action="channel.credentials_replaced")
    assert event.data["secrets"] == ["verify_token"]
    assert stored["verify_token"] not in str(event.data)


def test_check_again_runs_the_check_and_keeps_what_it_found(client, dave, page) -> None:
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{page.pk}/connect/check/", follow=True)
    text = response.content.decode()
    assert "Checked: the channel has a problem" in text
    assert "The app secret is missing" in text
    assert ChannelCredentials.objects.get(channel=page).last_check["credentials_ok"] is False


def test_a_channel_without_a_connector_says_how_its_messages_arrive(client, dave,
                                                                   webform) -> None:
    channel, _ = webform
    client.force_login(dave.user)
    text = client.get(f"/manage/channels/{channel.pk}/connect/").content.decode()
    assert "cannot connect to" in text and "webhook address" in text


def test_a_channel_without_a_connector_offers_no_sign_in(client, dave, webform) -> None:
    channel, _ = webform
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{channel.pk}/connect/sign-in/")
    assert response.status_code == 302 and response["Location"].endswith("/connect/")
    assert "no sign-in" in client.get(response["Location"]).content.decode()
