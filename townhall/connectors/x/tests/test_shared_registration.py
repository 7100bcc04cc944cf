"""Two X accounts of one council on one X app: one webhook, both subscribed to it.

X's self-serve plans allow one webhook per app; the fake X is set to that limit. As in
test_registration.py, the fake X really makes its CRC request to the live Townhall.
"""

from typing import Any

import pytest
from django.test import Client

from townhall.connectors.models import ChannelCredentials
from townhall.connectors.services import channel_create, channel_credentials_set
from townhall.connectors.x.registration import (
    x_webhook_register,
    x_webhook_remove,
    x_webhook_status,
    x_webhook_url,
)
from townhall.connectors.x.signatures import sign
from townhall.connectors.x.tests.fake_x import CONSUMER_KEY, CONSUMER_SECRET, USER_ID
from townhall.connectors.x.tests.test_app_webhook import ROADS_ID, mention_for
from townhall.core.models import AuditEvent
from townhall.inbox.models import Message

pytestmark = pytest.mark.django_db(transaction=True)
PUBLIC = "https://townhall.afon.example.gov.uk"
ROADS_TOKEN, ROADS_TOKEN_SECRET = f"{ROADS_ID}-AfonRoadsAccessToken", "roads-token-secret"


@pytest.fixture
def public(settings: Any, live_server: Any, x_api: Any) -> Any:
    settings.TOWNHALL_BASE_URL = PUBLIC
    x_api.activity.resolve["townhall.afon.example.gov.uk"] = live_server.url
    x_api.activity.webhook_limit = 1
    return x_api.activity


@pytest.fixture
def roads(council: Any, x_api: Any, x_channel: Any) -> Any:
    """@AfonRoads: the council's second account, authorised on the same X app."""
    x_api.user_tokens[ROADS_TOKEN] = ROADS_TOKEN_SECRET
    channel, _ = channel_create(council=council, platform="x", handle="AfonRoads")
    channel_credentials_set(
        channel=channel,
        settings={"user_id": ROADS_ID, "api_url": x_api.base_url, "timeout": 5,
                  "consumer_secret_env": "TOWNHALL_TEST_X_CONSUMER_SECRET"},
        secrets={"consumer_key": CONSUMER_KEY, "access_token": ROADS_TOKEN,
                 "access_token_secret": ROADS_TOKEN_SECRET})
    return channel


def register(client: Any, dave: Any, channel: Any) -> str:
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{channel.pk}/connect/x-webhook/")
    assert response.status_code == 200
    return response.content.decode()


def stored(channel: Any) -> dict[str, Any]:
    return dict(ChannelCredentials.objects.get(channel=channel).settings)


def test_a_second_channel_subscribes_to_the_apps_webhook(client, dave, x_channel, roads,
                                                          public) -> None:
    assert "X webhook registered and subscribed" in register(client, dave, x_channel)
    page = register(client, dave, roads)
    assert "X webhook registered and subscribed" in page
    assert "as many webhooks as its X plan allows" not in page
    url = x_webhook_url(channel=roads, base_url=PUBLIC)
    assert url == x_webhook_url(channel=x_channel, base_url=PUBLIC)
    [webhook] = public.webhooks.values()
    assert webhook["url"] == url and len(public.crc_checks) == 1
    assert f"X already had {url} registered as webhook {webhook['id']}" in page
    assert public.subscriptions[webhook["id"]] == {USER_ID, ROADS_ID}
    assert stored(x_channel)["webhook_id"] == stored(roads)["webhook_id"] == webhook["id"]
    assert AuditEvent.objects.filter(action="channel.x_webhook_subscribed",
                                     object_id=str(roads.pk)).count() == 1

    # X sends both accounts' activity to the one address; each lands in its channel.
    path = url.removeprefix(PUBLIC)
    for body in (mention_for(USER_ID, "AfonCouncil", "1896201934287663105"),
                 mention_for(ROADS_ID, "AfonRoads", "1896201934287669999")):
        response = Client().post(path, data=body, content_type="application/json", headers={
            "x-twitter-webhooks-signature": sign(CONSUMER_SECRET, body)})
        assert response.status_code == 200
    assert Message.objects.get(platform_message_id="1896201934287663105").channel == x_channel
    assert Message.objects.get(platform_message_id="1896201934287669999").channel == roads

    status = x_webhook_status(channel=roads)
    assert status.ok and "X AfonCouncil" in " ".join(status.lines)


def test_a_webhook_at_a_channels_own_address_is_moved_to_make_room(
        client, dave, x_channel, roads, public) -> None:
    # @AfonCouncil was registered before X channels shared one address.
    old = public.add_webhook(f"{PUBLIC}/connectors/x/{x_channel.key}/webhook")
    public.subscriptions[old] = {USER_ID}
    channel_credentials_set(channel=x_channel,
                            settings={**stored(x_channel), "webhook_id": old})
    page = register(client, dave, roads)
    assert "X webhook registered and subscribed" in page
    [(new, webhook)] = public.webhooks.items()
    assert webhook["url"] == x_webhook_url(channel=roads, base_url=PUBLIC)
    assert f"Removed webhook {old}" in page
    assert f"Subscribed X AfonCouncil to the shared webhook {new}" in page
    assert public.subscriptions[new] == {USER_ID, ROADS_ID}
    assert stored(x_channel)["webhook_id"] == new
    assert stored(x_channel)["x_app_key"] == stored(roads)["x_app_key"]
    moved = AuditEvent.objects.get(action="channel.x_webhook_registered",
                                   object_id=str(x_channel.pk))
    assert moved.data["moved_from"] == old and moved.actor_label == "dave"


def test_registering_a_channel_on_its_own_address_again_moves_it(
        client, dave, x_channel, public) -> None:
    old = public.add_webhook(f"{PUBLIC}/connectors/x/{x_channel.key}/webhook")
    public.subscriptions[old] = {USER_ID}
    channel_credentials_set(channel=x_channel,
                            settings={**stored(x_channel), "webhook_id": old})
    page = register(client, dave, x_channel)
    assert "X webhook registered and subscribed" in page
    [(new, webhook)] = public.webhooks.items()
    assert webhook["url"] == x_webhook_url(channel=x_channel, base_url=PUBLIC)
    assert public.subscriptions[new] == {USER_ID} and stored(x_channel)["webhook_id"] == new


def test_with_room_the_old_webhook_goes_only_once_its_account_has_moved(
        client, dave, x_channel, roads, public) -> None:
    public.webhook_limit = 2
    old = public.add_webhook(f"{PUBLIC}/connectors/x/{x_channel.key}/webhook")
    public.subscriptions[old] = {USER_ID}
    channel_credentials_set(channel=x_channel,
                            settings={**stored(x_channel), "webhook_id": old})
    page = register(client, dave, roads)
    assert "X webhook registered and subscribed" in page
    assert f"Deleted the older webhook {old}" in page
    [new] = public.webhooks
    assert public.subscriptions[new] == {USER_ID, ROADS_ID}


def test_webhooks_of_other_systems_are_never_moved(client, dave, x_channel, public) -> None:
    public.add_webhook("https://old-system.afon.example.gov.uk/x/hook")
    page = register(client, dave, x_channel)
    assert "as many webhooks as its X plan allows" in page
    assert "https://old-system.afon.example.gov.uk/x/hook" in page
    assert len(public.webhooks) == 1


def test_removing_one_channel_keeps_the_webhook_for_the_other(
        x_channel, roads, public, dave) -> None:
    for channel in (x_channel, roads):
        outcome = x_webhook_register(
            channel=channel, url=x_webhook_url(channel=channel, base_url=PUBLIC), by=dave.user)
        assert outcome.ok, outcome.problem
    [webhook_id] = public.webhooks
    removed = x_webhook_remove(channel=x_channel, by=dave.user)
    assert removed.ok
    assert (f"Kept webhook {webhook_id} at X, because these channels still use it: "
            "X AfonRoads.") in removed.lines
    assert public.subscriptions[webhook_id] == {ROADS_ID}
    assert "webhook_id" not in stored(x_channel) and "x_app_key" not in stored(x_channel)

    removed = x_webhook_remove(channel=roads, by=dave.user)
    assert f"Deleted webhook {webhook_id} at X." in removed.lines
    assert public.webhooks == {}


def test_an_address_that_is_not_the_apps_is_refused(x_channel, public, dave, x_api) -> None:
    outcome = x_webhook_register(
        channel=x_channel, url=f"{PUBLIC}/connectors/x/{x_channel.key}/webhook", by=dave.user)
    assert not outcome.ok
    assert "must end with /connectors/x/app/" in outcome.problem
    assert x_api.requests == []
