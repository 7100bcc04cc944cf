from pathlib import Path

from django.test import Client

from townhall.connectors.facebook.connector import FacebookConnector
from townhall.connectors.facebook.verification import MetaWebhookVerification
from townhall.connectors.instagram.connector import InstagramConnector
from townhall.connectors.instagram.tests.conftest import APP_SECRET, VERIFY_TOKEN
from townhall.core.lib.signatures import sign
from townhall.inbox.models import Conversation, Message

WEBHOOKS = Path(__file__).parent / "fixtures" / "webhooks"


def url(channel) -> str:
    return f"/connectors/instagram/{channel.key}/webhook"


def post(channel, body: bytes):
    return Client().post(url(channel), data=body, content_type="application/json",
                         HTTP_X_HUB_SIGNATURE_256=sign(APP_SECRET, body))


def test_it_verifies_webhooks_with_the_same_code_as_facebook() -> None:
    for name in ("verify_webhook", "handshake"):
        assert getattr(InstagramConnector, name) is getattr(MetaWebhookVerification, name)
        assert getattr(FacebookConnector, name) is getattr(MetaWebhookVerification, name)


def test_it_answers_the_verification_handshake(instagram_channel) -> None:
    response = Client().get(url(instagram_channel), {
        "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"})
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"] == "text/plain"


def test_it_refuses_the_handshake_with_a_wrong_verify_token(instagram_channel) -> None:
    response = Client().get(url(instagram_channel), {
        "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"})
    assert response.status_code == 403


def test_it_stores_every_recorded_payload_once(instagram_channel) -> None:
    for path in sorted(WEBHOOKS.glob("*.json")):
        assert post(instagram_channel, path.read_bytes()).status_code == 200
    for path in sorted(WEBHOOKS.glob("*.json")):
        assert post(instagram_channel, path.read_bytes()).json()["accepted"] == 0
    # Six comments and DMs, and two @mentions fetched from the Graph API.
    assert Message.objects.filter(channel=instagram_channel).count() == 8
    assert Conversation.objects.get(thread_key="17865799348089039").messages.count() == 2
