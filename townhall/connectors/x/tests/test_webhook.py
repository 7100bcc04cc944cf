import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

from django.test import Client

from townhall.connectors.x.signatures import sign
from townhall.connectors.x.tests.fake_x import CONSUMER_SECRET
from townhall.inbox.models import Conversation, Message
from townhall.ingest.models import RawEvent, RawStatus

WEBHOOKS = Path(__file__).parent / "fixtures" / "webhooks"


def url(channel) -> str:
    return f"/connectors/x/{channel.key}/webhook"


def post(channel, body: bytes, signature: str | None = None):
    return Client().post(url(channel), data=body, content_type="application/json",
                         HTTP_X_TWITTER_WEBHOOKS_SIGNATURE=signature or sign(CONSUMER_SECRET,
                                                                             body))


def test_it_answers_the_crc_check_in_json_without_calling_x(x_channel, x_api) -> None:
    started = time.monotonic()
    response = Client().get(url(x_channel), {"crc_token": "ODhkNmE5YzUtYjU3Ni00"})
    assert time.monotonic() - started < 3
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    digest = hmac.new(CONSUMER_SECRET.encode(), b"ODhkNmE5YzUtYjU3Ni00", hashlib.sha256).digest()
    assert response.json() == {"response_token": "sha256=" + base64.b64encode(digest).decode()}
    assert x_api.requests == []


def test_it_refuses_a_check_without_a_crc_token(x_channel) -> None:
    response = Client().get(url(x_channel))
    assert response.status_code == 403
    assert "crc_token" in response.json()["error"]


def test_it_refuses_the_crc_check_when_the_consumer_secret_is_missing(x_channel,
                                                                    monkeypatch) -> None:
    monkeypatch.delenv("TOWNHALL_TEST_X_CONSUMER_SECRET")
    response = Client().get(url(x_channel), {"crc_token": "abc"})
    assert response.status_code == 403


def test_it_stores_every_recorded_payload_once(x_channel) -> None:
    for path in sorted(WEBHOOKS.glob("*.json")):
        assert post(x_channel, path.read_bytes()).status_code == 200
    for path in sorted(WEBHOOKS.glob("*.json")):
        assert post(x_channel, path.read_bytes()).json()["accepted"] == 0
    assert Message.objects.filter(channel=x_channel).count() == 4
    thread = Conversation.objects.get(thread_key="1896201934287663105")
    assert thread.messages.count() == 2
    assert Conversation.objects.filter(thread_key="dm:1502233445566778901").exists()


def test_it_rejects_a_hex_signature_over_http(x_channel) -> None:
    body = (WEBHOOKS / "direct_message.json").read_bytes()
    hexed = "sha256=" + hmac.new(CONSUMER_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = post(x_channel, body, signature=hexed)
    assert response.status_code == 401
    assert "x-twitter-webhooks-signature" in response.json()["error"]


def test_it_keeps_a_signed_body_it_cannot_read(x_channel) -> None:
    response = post(x_channel, b"not json")
    assert response.status_code == 200
    assert "not valid UTF-8 JSON" in response.json()["rejected"][0]
    assert RawEvent.objects.get().status == RawStatus.REJECTED


def test_it_acknowledges_events_that_are_not_messages(x_channel) -> None:
    body = json.dumps({"for_user_id": "1352486217365741570", "follow_events": [
        {"type": "follow", "created_timestamp": "1772453700000"}]}).encode()
    response = post(x_channel, body)
    assert response.status_code == 200 and response.json()["accepted"] == 0
