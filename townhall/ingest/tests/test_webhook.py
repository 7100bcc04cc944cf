import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from townhall.core.lib.signatures import sign
from townhall.inbox.models import Message
from townhall.ingest.models import RawEvent, RawStatus


@pytest.fixture
def client() -> Client:
    return Client()


def post(client, channel, body: bytes, signature: str | None):
    headers = {"HTTP_X_TOWNHALL_SIGNATURE": signature} if signature is not None else {}
    return client.post(f"/ingest/{channel.key}", data=body, content_type="application/json",
                       **headers)


def body_for(**overrides) -> bytes:
    data = {"platform_message_id": "w1", "author": "session-77", "author_name": "Web visitor",
            "text": "Can I book a bulky waste collection?",
            "created_at": "2026-04-01T12:00:00Z"}
    data.update(overrides)
    return json.dumps(data).encode()


def test_it_accepts_a_correctly_signed_message(client, webform) -> None:
    channel, secret = webform
    body = body_for()
    response = post(client, channel, body, sign(secret, body))
    assert response.status_code == 202
    assert response.json()["accepted"] == 1
    message = Message.objects.get()
    assert message.text == "Can I book a bulky waste collection?"
    assert message.channel == channel


def test_it_accepts_an_upper_case_hex_signature(client, webform) -> None:
    channel, secret = webform
    body = body_for()
    signature = sign(secret, body)
    response = post(client, channel, body, "sha256=" + signature.split("=")[1].upper())
    assert response.status_code == 202


@pytest.mark.parametrize("case", ["missing", "tampered", "wrong-secret", "garbage"])
def test_it_rejects_a_bad_signature_and_stores_nothing(client, webform, case) -> None:
    channel, secret = webform
    body = body_for()
    signature = {
        "missing": None,
        "tampered": sign(secret, body_for(text="Something else")),
        "wrong-secret": sign("not-the-secret", body),
        "garbage": "md5=abc",
    }[case]
    response = post(client, channel, body, signature)
    assert response.status_code == 401
    assert "X-Townhall-Signature" in response.json()["error"]
    assert RawEvent.objects.count() == 0


def test_it_answers_404_for_an_unknown_channel(client, db) -> None:
    response = client.post("/ingest/no-such-key", data=b"{}", content_type="application/json")
    assert response.status_code == 404


def test_it_absorbs_a_duplicate_delivery(client, webform) -> None:
    channel, secret = webform
    body = body_for()
    post(client, channel, body, sign(secret, body))
    response = post(client, channel, body, sign(secret, body))
    assert response.status_code == 202
    assert response.json()["duplicates"] == 1
    assert Message.objects.count() == 1


def test_it_refuses_a_3_mb_body_with_a_clear_error(client, webform) -> None:
    channel, secret = webform
    body = body_for(text="x" * (3 * 1024 * 1024))
    response = post(client, channel, body, sign(secret, body))
    assert response.status_code == 413
    assert "limit" in response.json()["error"]
    assert RawEvent.objects.count() == 0


@override_settings(TOWNHALL_MAX_BODY_BYTES=4 * 1024 * 1024)
def test_it_keeps_a_3_mb_message_whole_when_the_limit_allows(client, webform) -> None:
    channel, secret = webform
    text = "Long complaint. " * 200_000
    body = body_for(text=text)
    response = post(client, channel, body, sign(secret, body))
    assert response.status_code == 202
    assert Message.objects.get().text == text


def test_it_keeps_a_signed_body_that_is_not_json(client, webform) -> None:
    channel, secret = webform
    body = b"name=Sam&message=hello"
    response = post(client, channel, body, sign(secret, body))
    assert response.status_code == 400
    assert "not valid UTF-8 JSON" in response.json()["error"]
    kept = RawEvent.objects.get()
    assert kept.status == RawStatus.REJECTED
    assert kept.unparsed_body == "name=Sam&message=hello"


def test_one_bad_item_in_a_batch_does_not_drop_its_neighbours(client, webform) -> None:
    channel, secret = webform
    good = json.loads(body_for())
    batch = {"messages": [good, {**good, "platform_message_id": "w2", "created_at": "soon"},
                          {**good, "platform_message_id": "w3"}]}
    body = json.dumps(batch).encode()
    response = post(client, channel, body, sign(secret, body))
    assert response.status_code == 202
    data = response.json()
    assert data["accepted"] == 2
    assert data["rejected"] == [{"index": 1, "error": data["rejected"][0]["error"]}]
    assert "created_at" in data["rejected"][0]["error"]
    assert set(Message.objects.values_list("platform_message_id", flat=True)) == {"w1", "w3"}


def test_it_asks_the_sender_to_retry_when_the_database_is_down(client, webform) -> None:
    channel, secret = webform
    body = body_for()
    with mock.patch("townhall.ingest.views.raw_events_store",
                    side_effect=OperationalError("could not connect to server")):
        response = post(client, channel, body, sign(secret, body))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Send again later" in response.json()["error"]


def test_it_answers_only_post(client, webform) -> None:
    channel, _ = webform
    assert client.get(f"/ingest/{channel.key}").status_code == 405


def test_it_keeps_a_signed_body_with_nul_bytes_visibly(client, webform) -> None:
    channel, secret = webform
    body = b"broken\x00form"
    response = post(client, channel, body, sign(secret, body))
    assert response.status_code == 400
    assert RawEvent.objects.get().unparsed_body == "broken\\u0000form"
