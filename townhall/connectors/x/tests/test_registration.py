"""An admin registers the channel's webhook address with X and subscribes the account.

The fake X really makes the CRC request to the live Townhall, as X does during
registration: `resolve` stands in for the DNS and TLS proxy in front of Townhall's
public address.
"""

import json
import re
from typing import Any

import pytest

from townhall.connectors.cli import cmd_x_webhook
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.registry import connector_for
from townhall.connectors.services import channel_credentials_set, channel_set_active
from townhall.connectors.x.registration import x_webhook_register, x_webhook_url
from townhall.connectors.x.tests.fake_x import (
    ACCESS_TOKEN,
    ACCESS_TOKEN_SECRET,
    CONSUMER_KEY,
    CONSUMER_SECRET,
    USER_ID,
)
from townhall.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)
PUBLIC = "https://townhall.afon.example.gov.uk"


@pytest.fixture
def public(settings: Any, live_server: Any, x_api: Any) -> Any:
    """Townhall's public address, which (for the fake X) leads to the live server."""
    settings.TOWNHALL_BASE_URL = PUBLIC
    x_api.activity.resolve["townhall.afon.example.gov.uk"] = live_server.url
    return x_api.activity


def register(client: Any, dave: Any, channel: Any) -> str:
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{channel.pk}/connect/x-webhook/")
    assert response.status_code == 200
    return response.content.decode()


def stored(channel: Any) -> dict[str, Any]:
    return dict(ChannelCredentials.objects.get(channel=channel).settings)


def test_an_admin_registers_the_webhook_and_x_checks_it_against_townhall(
        client, dave, x_channel, public) -> None:
    page = register(client, dave, x_channel)
    url = x_webhook_url(channel=x_channel, base_url=PUBLIC)
    # The address is the X app's in this council, not the channel's own.
    assert re.fullmatch(rf"{PUBLIC}/connectors/x/app/[a-z2-7]{{26}}/webhook", url)
    assert "X webhook registered and subscribed" in page
    [webhook] = public.webhooks.values()
    assert webhook["url"] == url and webhook["valid"]
    # X's CRC request reached the live Townhall and was answered well within 3 seconds.
    [crc] = public.crc_checks
    assert crc["status"] == 200 and crc["seconds"] < 3
    assert stored(x_channel)["webhook_id"] == webhook["id"]
    assert public.subscriptions[webhook["id"]] == {USER_ID}
    assert f"Registered {url} with X as webhook {webhook['id']}" in page
    assert "Subscribed the council&#x27;s account" in page
    for secret in (CONSUMER_SECRET, ACCESS_TOKEN_SECRET, ACCESS_TOKEN):
        assert secret not in page
    events = AuditEvent.objects.filter(object_id=str(x_channel.pk))
    registered = events.get(action="channel.x_webhook_registered")
    assert registered.actor_label == "dave"
    assert registered.data == {"webhook_id": webhook["id"], "url": url}
    assert events.filter(action="channel.x_webhook_subscribed").count() == 1
    assert CONSUMER_SECRET not in json.dumps(list(events.values("data")))

    connection = client.get(f"/manage/channels/{x_channel.pk}/connect/").content.decode()
    assert "the subscription is active" in connection


def test_registering_again_changes_nothing(client, dave, x_channel, public) -> None:
    register(client, dave, x_channel)
    page = register(client, dave, x_channel)
    assert "X webhook registered and subscribed" in page
    assert "already had" in page and "already subscribed" in page
    assert len(public.webhooks) == 1 and len(public.crc_checks) == 1
    assert AuditEvent.objects.filter(action="channel.x_webhook_registered").count() == 1


def test_it_refuses_an_address_that_is_not_https_without_calling_x(
        client, dave, x_channel, x_api, settings) -> None:
    settings.TOWNHALL_BASE_URL = "http://127.0.0.1:8000"
    page = register(client, dave, x_channel)
    assert "The X webhook is not set up yet" in page
    assert "X accepts only addresses that start with https://" in page
    assert "TOWNHALL_BASE_URL" in page
    assert x_api.requests == []
    assert "webhook_id" not in stored(x_channel)


def test_a_failed_crc_check_is_explained(client, dave, x_channel, public, monkeypatch) -> None:
    # The app's bearer token works, but the channel holds an old API key secret, so
    # Townhall's answer to X's check is wrong.
    public.app_tokens.add("AAAA-stored-bearer-token")
    channel_credentials_set(channel=x_channel, settings=stored(x_channel), secrets={
        "consumer_key": CONSUMER_KEY, "access_token": ACCESS_TOKEN,
        "access_token_secret": ACCESS_TOKEN_SECRET, "bearer_token": "AAAA-stored-bearer-token"})
    monkeypatch.setenv("TOWNHALL_TEST_X_CONSUMER_SECRET", "an-old-consumer-secret")
    page = register(client, dave, x_channel)
    assert "The X webhook is not set up yet" in page
    assert "the answer was wrong or came too late" in page
    assert "X said: CrcValidationFailed" in page
    assert public.crc_checks[0]["status"] == 200  # Townhall answered, but wrongly
    assert public.webhooks == {}
    assert "webhook_id" not in stored(x_channel)


def test_an_address_x_already_has_is_adopted(client, dave, x_channel, public, x_api) -> None:
    url = x_webhook_url(channel=x_channel, base_url=PUBLIC)
    webhook_id = public.add_webhook(url)
    page = register(client, dave, x_channel)
    assert f"X already had {url} registered as webhook {webhook_id}" in page
    assert not any(r.method == "POST" and r.path == "/2/webhooks" for r in x_api.requests)
    assert stored(x_channel)["webhook_id"] == webhook_id
    assert public.subscriptions[webhook_id] == {USER_ID}


def test_a_webhook_x_marked_invalid_is_checked_again(client, dave, x_channel, public) -> None:
    webhook_id = public.add_webhook(x_webhook_url(channel=x_channel, base_url=PUBLIC),
                                    valid=False)
    page = register(client, dave, x_channel)
    assert "X webhook registered and subscribed" in page
    assert "it checked the address again" in page
    assert public.webhooks[webhook_id]["valid"] and len(public.crc_checks) == 1


def test_the_webhook_limit_names_the_addresses_in_use(client, dave, x_channel,
                                                      public) -> None:
    public.webhook_limit = 1
    public.add_webhook("https://old-system.afon.example.gov.uk/x/hook")
    page = register(client, dave, x_channel)
    assert "as many webhooks as its X plan allows" in page
    assert "https://old-system.afon.example.gov.uk/x/hook" in page
    assert "webhook_id" not in stored(x_channel)


def test_the_subscription_limit_is_explained(client, dave, x_channel, public) -> None:
    public.subscription_limit = 0
    page = register(client, dave, x_channel)
    assert "as many subscribed accounts as its plan allows" in page
    assert "Townhall polls X for this account" in page
    # The webhook itself is registered and kept, so trying again later only subscribes.
    [webhook_id] = public.webhooks
    assert stored(x_channel)["webhook_id"] == webhook_id
    public.subscription_limit = 5
    assert "X webhook registered and subscribed" in register(client, dave, x_channel)
    assert len(public.crc_checks) == 1


def test_a_switched_off_channel_is_not_registered(client, dave, x_channel, public,
                                                  x_api) -> None:
    channel_set_active(channel=x_channel, is_active=False, by=dave.user)
    page = register(client, dave, x_channel)
    assert "The channel is switched off" in page
    assert x_api.requests == []


def test_check_reports_whether_the_subscription_is_active(x_channel, public, dave) -> None:
    assert "No X webhook is registered" in connector_for(x_channel).check().lines[-1]
    url = x_webhook_url(channel=x_channel, base_url=PUBLIC)
    assert x_webhook_register(channel=x_channel, url=url, by=dave.user).ok
    result = connector_for(x_channel).check()
    assert result.ok and "the subscription is active" in result.lines[-1]
    public.subscriptions.clear()
    result = connector_for(x_channel).check()
    assert result.ok and "is not subscribed to webhook" in result.lines[-1]


def test_the_command_registers_checks_and_removes(x_channel, public, capsys) -> None:
    class Args:
        channel = x_channel.key
        url = ""
        action = "register"

    assert cmd_x_webhook(Args()) == 0
    out = capsys.readouterr().out
    assert f"Registering {x_webhook_url(channel=x_channel, base_url=PUBLIC)}" in out
    assert "Done." in out and CONSUMER_SECRET not in out
    webhook_id = stored(x_channel)["webhook_id"]
    assert AuditEvent.objects.get(action="channel.x_webhook_registered").actor_label == \
        "command line"

    Args.action = "status"
    assert cmd_x_webhook(Args()) == 0
    assert "The council's account is subscribed" in capsys.readouterr().out

    Args.action = "remove"
    assert cmd_x_webhook(Args()) == 0
    out = capsys.readouterr().out
    assert "Unsubscribed the council's account." in out
    assert f"Deleted webhook {webhook_id} at X." in out
    assert public.webhooks == {} and "webhook_id" not in stored(x_channel)
    assert AuditEvent.objects.filter(action="channel.x_webhook_removed").count() == 1

    Args.action = "status"
    assert cmd_x_webhook(Args()) == 1
    assert "No X webhook is registered" in capsys.readouterr().out


def test_the_command_refuses_a_channel_that_is_not_x(council, capsys) -> None:
    class Args:
        channel = "no-such-channel"
        url = ""
        action = "status"

    assert cmd_x_webhook(Args()) == 2
    assert "No X channel" in capsys.readouterr().out


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_only_an_admin_may_register(client, request, x_channel, x_api, who) -> None:
    client.force_login(request.getfixturevalue(who).user)
    response = client.post(f"/manage/channels/{x_channel.pk}/connect/x-webhook/")
    assert response.status_code == 403
    assert x_api.requests == []


def test_another_councils_admin_sees_no_such_channel(client, eve, x_channel, x_api) -> None:
    client.force_login(eve.user)
    assert client.post(f"/manage/channels/{x_channel.pk}/connect/x-webhook/").status_code == 404
    assert x_api.requests == []


def oauth2_channel(channel: Any, x_api: Any, monkeypatch: Any, *, with_key: bool) -> None:
    """A channel connected by signing in with X: a user bearer token, and the app's keys
    from the environment as x/login.py names them."""
    import time

    x_api.live_bearers.add("x-bearer-signed-in")
    monkeypatch.setenv("TOWNHALL_X_CONSUMER_SECRET", CONSUMER_SECRET)
    settings = {"auth": "oauth2", "user_id": USER_ID, "api_url": x_api.base_url,
                "timeout": 5, "consumer_secret_env": "TOWNHALL_X_CONSUMER_SECRET"}
    if with_key:
        monkeypatch.setenv("TOWNHALL_X_CONSUMER_KEY", CONSUMER_KEY)
        settings["consumer_key_env"] = "TOWNHALL_X_CONSUMER_KEY"
    channel_credentials_set(channel=channel, settings=settings, secrets={
        "oauth2_access_token": "x-bearer-signed-in", "oauth2_refresh_token": "",
        "oauth2_expires_at": str(int(time.time()) + 7000)})


def test_a_channel_signed_in_with_oauth2_registers_and_subscribes(
        x_channel, x_api, public, dave, monkeypatch) -> None:
    oauth2_channel(x_channel, x_api, monkeypatch, with_key=True)
    url = x_webhook_url(channel=x_channel, base_url=PUBLIC)
    outcome = x_webhook_register(channel=x_channel, url=url, by=dave.user)
    assert outcome.ok, outcome.problem
    subscribe = next(r for r in x_api.requests if r.method == "POST"
                     and r.path.endswith("/subscriptions/all"))
    assert subscribe.headers["authorization"] == "Bearer x-bearer-signed-in"
    assert public.subscriptions[outcome.webhook_id] == {USER_ID}


def test_without_the_apps_key_it_says_which_to_set(x_channel, x_api, public, dave,
                                                   monkeypatch) -> None:
    oauth2_channel(x_channel, x_api, monkeypatch, with_key=False)
    url = x_webhook_url(channel=x_channel, base_url=PUBLIC)
    outcome = x_webhook_register(channel=x_channel, url=url, by=dave.user)
    assert not outcome.ok
    assert "TOWNHALL_X_BEARER_TOKEN" in outcome.problem
    assert "TOWNHALL_X_CONSUMER_KEY" in outcome.problem
    assert public.webhooks == {}
