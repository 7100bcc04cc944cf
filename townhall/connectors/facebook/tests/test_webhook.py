import json
from pathlib import Path

from django.test import Client

from townhall.connectors.facebook.tests.conftest import APP_SECRET, VERIFY_TOKEN
from townhall.core.lib.signatures import sign
from townhall.inbox.models import Conversation, Message
from townhall.ingest.models import RawEvent, RawStatus

WEBHOOKS = Path(__file__).parent / "fixtures" / "webhooks"


def url(channel) -> str:
    return f"/connectors/facebook/{channel.key}/webhook"


def post(channel, body: bytes):
    return Client().post(url(channel), data=body, content_type="application/json",
                         HTTP_X_HUB_SIGNATURE_256=sign(APP_SECRET, body))


def test_it_answers_the_verification_handshake(facebook_channel) -> None:
    response = Client().get(url(facebook_channel), {
        "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"})
    assert response.status_code == 200
    assert response.content == b"1158201444"


def test_it_refuses_the_handshake_with_a_wrong_verify_token(facebook_channel) -> None:
    response = Client().get(url(facebook_channel), {
        "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"})
    assert response.status_code == 403
    assert b"1158201444" not in response.content


def test_it_answers_404_for_another_platforms_address(facebook_channel) -> None:
    response = Client().get(f"/connectors/x/{facebook_channel.key}/webhook")
    assert response.status_code == 404


def test_it_stores_every_recorded_payload_once(facebook_channel) -> None:
    for path in sorted(WEBHOOKS.glob("*.json")):
        assert post(facebook_channel, path.read_bytes()).status_code == 200
    for path in sorted(WEBHOOKS.glob("*.json")):
        assert post(facebook_channel, path.read_bytes()).json()["accepted"] == 0
    assert Message.objects.filter(channel=facebook_channel).count() == 7
    thread = Conversation.objects.get(thread_key="998877_112233")
    assert thread.messages.count() == 2
    assert set(RawEvent.objects.values_list("source", flat=True)) == {"connector"}


def test_it_keeps_a_signed_body_it_cannot_read(facebook_channel) -> None:
    response = post(facebook_channel, b"not json")
    assert response.status_code == 200
    assert "not valid UTF-8 JSON" in response.json()["rejected"][0]
    assert RawEvent.objects.get().status == RawStatus.REJECTED


def test_it_takes_a_batch_of_1000_updates(facebook_channel) -> None:
    entries = [{"id": "104729381234567", "time": 1, "messaging": [{
        "sender": {"id": str(7000 + n)}, "recipient": {"id": "104729381234567"},
        "timestamp": 1772453700000 + n, "message": {"mid": f"m_{n}", "text": f"Hello {n}"}}]}
        for n in range(1000)]
    body = json.dumps({"object": "page", "entry": entries}).encode()
    response = post(facebook_channel, body)
    assert response.status_code == 200
    assert response.json()["accepted"] == 1000
    assert Message.objects.filter(channel=facebook_channel).count() == 1000
