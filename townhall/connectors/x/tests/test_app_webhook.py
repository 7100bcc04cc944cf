"""The X app's shared webhook address: one per app in a council, events routed to the
channel whose X account X names in `for_user_id`."""

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from townhall.connectors.background import drainer
from townhall.connectors.models import ChannelCredentials, WebhookBatch
from townhall.connectors.registry import connector_for
from townhall.connectors.services import (
    channel_create,
    channel_credentials_set,
    channel_set_active,
)
from townhall.connectors.webhooks import webhook_batch_process, webhook_batches_process_due
from townhall.connectors.x.app_webhook import x_app_key_for, x_app_webhook_path
from townhall.connectors.x.signatures import sign
from townhall.connectors.x.tests.fake_x import CONSUMER_SECRET, USER_ID
from townhall.inbox.models import Message
from townhall.ingest.models import RawEvent, RawStatus

WEBHOOKS = Path(__file__).parent / "fixtures" / "webhooks"
ROADS_ID = "1352486217365741999"
MENTION = (WEBHOOKS / "tweet_create_mention.json").read_text()


def on_app(channel: Any) -> str:
    """What registration stores: the channel's X app key. Returns the app's address."""
    key = x_app_key_for(channel=channel, connector=connector_for(channel))
    credentials = ChannelCredentials.objects.get(channel=channel)
    credentials.settings = {**credentials.settings, "x_app_key": key}
    credentials.save()
    return x_app_webhook_path(key)


def x_account(council: Any, handle: str, user_id: str) -> Any:
    channel, _ = channel_create(council=council, platform="x", handle=handle)
    channel_credentials_set(channel=channel, settings={
        "user_id": user_id, "consumer_secret_env": "TOWNHALL_TEST_X_CONSUMER_SECRET"},
        secrets={"consumer_key": "k", "access_token": f"{user_id}-t",
                 "access_token_secret": "s"})
    return channel


@pytest.fixture
def roads(council: Any, x_channel: Any) -> Any:
    """The council's second X account, on the same X app as x_channel."""
    return x_account(council, "AfonRoads", ROADS_ID)


def mention_for(user_id: str, handle: str, post_id: str) -> bytes:
    return (MENTION.replace(USER_ID, user_id).replace("AfonCouncil", handle)
            .replace("1896201934287663105", post_id).encode())


def post(address: str, body: bytes, signature: str | None = None) -> Any:
    headers = {} if signature == "" else {
        "x-twitter-webhooks-signature": signature or sign(CONSUMER_SECRET, body)}
    return Client().post(address, data=body, content_type="application/json", headers=headers)


def test_both_channels_on_one_app_share_one_address(x_channel, roads) -> None:
    address = on_app(x_channel)
    assert on_app(roads) == address
    assert x_channel.key not in address and roads.key not in address


def test_it_answers_the_crc_check_on_the_shared_address(x_channel, roads, x_api) -> None:
    address = on_app(x_channel)
    on_app(roads)
    response = Client().get(address, {"crc_token": "ODhkNmE5YzUtYjU3Ni00"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    digest = hmac.new(CONSUMER_SECRET.encode(), b"ODhkNmE5YzUtYjU3Ni00",
                      hashlib.sha256).digest()
    assert response.json() == {"response_token": "sha256=" + base64.b64encode(digest).decode()}
    assert Client().get(address).status_code == 403
    assert x_api.requests == []


def test_events_for_each_account_land_in_its_own_channel_once(x_channel, roads) -> None:
    address = on_app(x_channel)
    on_app(roads)
    council_post = mention_for(USER_ID, "AfonCouncil", "1896201934287663105")
    roads_post = mention_for(ROADS_ID, "AfonRoads", "1896201934287669999")
    for _ in range(2):
        assert post(address, council_post).status_code == 200
        assert post(address, roads_post).status_code == 200
    [ours] = Message.objects.filter(channel=x_channel)
    [theirs] = Message.objects.filter(channel=roads)
    assert ours.platform_message_id == "1896201934287663105"
    assert theirs.platform_message_id == "1896201934287669999"
    assert not RawEvent.objects.filter(status=RawStatus.REJECTED).exists()


def test_an_unknown_account_is_kept_as_rejected_with_its_reason(x_channel, roads) -> None:
    address = on_app(x_channel)
    on_app(roads)
    body = mention_for("4242424242", "SomeoneElse", "1896201934287660001")
    response = post(address, body)
    assert response.status_code == 200
    assert "X account 4242424242" in response.json()["rejected"][0]
    raw = RawEvent.objects.get()
    assert raw.status == RawStatus.REJECTED and raw.channel is None
    assert raw.council == x_channel.council
    assert "no active X channel of this council" in raw.error
    assert raw.unparsed_body == body.decode()
    assert not Message.objects.exists()
    # Sent again, it is kept once.
    post(address, body)
    assert RawEvent.objects.count() == 1


def test_a_body_without_for_user_id_is_kept_as_rejected(x_channel) -> None:
    response = post(on_app(x_channel), b'{"tweet_create_events": []}')
    assert response.status_code == 200
    assert "'for_user_id'" in RawEvent.objects.get(status=RawStatus.REJECTED).error


def test_a_switched_off_channel_gets_nothing_and_the_event_is_kept(x_channel, roads,
                                                                   dave) -> None:
    address = on_app(x_channel)
    on_app(roads)
    channel_set_active(channel=roads, is_active=False, by=dave.user)
    post(address, mention_for(ROADS_ID, "AfonRoads", "1896201934287669999"))
    assert not Message.objects.exists()
    assert f"X account {ROADS_ID}" in RawEvent.objects.get(status=RawStatus.REJECTED).error


def test_another_councils_channel_for_the_same_account_is_never_reached(
        x_channel, other_council) -> None:
    # The other council connected the very same X account, on the very same X app.
    theirs = x_account(other_council, "AfonCouncil", USER_ID)
    ours_address, their_address = on_app(x_channel), on_app(theirs)
    assert ours_address != their_address
    post(ours_address, mention_for(USER_ID, "AfonCouncil", "1896201934287663105"))
    assert Message.objects.get().channel == x_channel
    post(their_address, mention_for(USER_ID, "AfonCouncil", "1896201934287660002"))
    assert Message.objects.get(platform_message_id="1896201934287660002").channel == theirs

    # An account only the other council has, sent to this council's address, stays here.
    roads_elsewhere = x_account(other_council, "AfonRoads", ROADS_ID)
    on_app(roads_elsewhere)
    post(ours_address, mention_for(ROADS_ID, "AfonRoads", "1896201934287669999"))
    assert not Message.objects.filter(channel=roads_elsewhere).exists()
    rejected = RawEvent.objects.get(status=RawStatus.REJECTED)
    assert rejected.council == x_channel.council and rejected.channel is None


def test_an_address_claimed_in_two_councils_answers_for_neither(x_channel,
                                                                 other_council) -> None:
    address = on_app(x_channel)
    theirs = x_account(other_council, "AfonCouncil", USER_ID)
    credentials = ChannelCredentials.objects.get(channel=theirs)
    credentials.settings = {**credentials.settings,
                            "x_app_key": address.split("/")[-2]}
    credentials.save()
    body = mention_for(USER_ID, "AfonCouncil", "1896201934287663105")
    assert post(address, body).status_code == 404
    assert Client().get(address, {"crc_token": "abc"}).status_code == 404
    assert not Message.objects.exists() and not RawEvent.objects.exists()


@pytest.mark.parametrize("signature", ["", "tampered", "other secret"])
def test_it_refuses_a_missing_or_wrong_signature(x_channel, roads, signature) -> None:
    address = on_app(x_channel)
    on_app(roads)
    body = mention_for(ROADS_ID, "AfonRoads", "1896201934287669999")
    header = {"": "", "tampered": sign(CONSUMER_SECRET, body + b" "),
              "other secret": sign("not-the-apps-secret", body)}[signature]
    response = post(address, body, signature=header)
    assert response.status_code == 401
    assert "x-twitter-webhooks-signature" in response.json()["error"]
    assert not WebhookBatch.objects.exists() and not RawEvent.objects.exists()


def test_a_channel_holding_an_old_secret_is_told_so(x_channel, roads, monkeypatch) -> None:
    address = on_app(x_channel)
    on_app(roads)
    settings = {**ChannelCredentials.objects.get(channel=roads).settings,
                "consumer_secret_env": "TOWNHALL_TEST_X_OLD_SECRET"}
    monkeypatch.setenv("TOWNHALL_TEST_X_OLD_SECRET", "an-old-consumer-secret")
    channel_credentials_set(channel=roads, settings=settings)
    # With two secrets among its channels, the address cannot answer X's check.
    assert Client().get(address, {"crc_token": "abc"}).status_code == 403
    post(address, mention_for(ROADS_ID, "AfonRoads", "1896201934287669999"))
    assert not Message.objects.exists()
    error = RawEvent.objects.get(status=RawStatus.REJECTED).error
    assert "AfonRoads holds a different API key secret" in error


def test_an_unknown_address_is_not_found(x_channel) -> None:
    on_app(x_channel)
    assert Client().get("/connectors/x/app/nosuchkey/webhook",
                        {"crc_token": "abc"}).status_code == 404


def test_a_channel_registered_on_its_own_address_still_receives_there(x_channel,
                                                                     roads) -> None:
    on_app(roads)
    body = mention_for(USER_ID, "AfonCouncil", "1896201934287663105")
    assert post(f"/connectors/x/{x_channel.key}/webhook", body).status_code == 200
    assert Message.objects.get().channel == x_channel


@pytest.mark.parametrize("spool", ["off", "on"])
def test_the_body_is_stored_for_its_channel_before_the_answer(
        x_channel, roads, settings, monkeypatch, spool) -> None:
    settings.TOWNHALL_WEBHOOK_PROCESSING = "background"
    settings.TOWNHALL_WEBHOOK_SPOOL = spool
    handed: list[Any] = []
    monkeypatch.setattr(drainer, "submit", handed.append)
    monkeypatch.setattr(drainer, "submit_spooled", handed.append)
    address = on_app(x_channel)
    on_app(roads)
    body = mention_for(ROADS_ID, "AfonRoads", "1896201934287669999")
    assert post(address, body).json() == {"received": True}
    assert len(handed) == 1 and not Message.objects.exists()
    if spool == "off":
        batch = WebhookBatch.objects.get()
        assert batch.channel == roads and bytes(batch.body) == body
        webhook_batch_process(batch_id=batch.pk)
    else:
        assert f"-{roads.pk}-" in handed[0].name
        webhook_batches_process_due(everything=True)
    assert Message.objects.get().channel == roads
    assert not WebhookBatch.objects.exists()


def test_the_dm_fixture_reaches_the_council_channel(x_channel, roads) -> None:
    address = on_app(x_channel)
    on_app(roads)
    body = (WEBHOOKS / "direct_message.json").read_bytes()
    assert json.loads(body)["for_user_id"] == USER_ID
    post(address, body)
    assert Message.objects.get().channel == x_channel
