"""The contract every connector passes: subclass `ConnectorContract` in the platform's
tests and fill in the hooks at the top. Tests run against recorded payloads and a local
fake of the platform's API (connectors/fake.py), never the real network.
"""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client, override_settings
from django.utils import timezone

from townhall.connectors.base import Connector
from townhall.connectors.errors import PermanentError, RetriableError
from townhall.connectors.fake import FakeApi, Scripted
from townhall.connectors.models import ChannelCursor, Delivery, DeliveryAttempt, WebhookBatch
from townhall.connectors.selectors import delivery_error
from townhall.connectors.services import (
    channel_create,
    channel_credentials_set,
    channel_poll,
    reply_deliver,
)
from townhall.connectors.webhooks import webhook_batches_process_due
from townhall.core.lib.signatures import sign
from townhall.core.models import AuditEvent
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.services import conversation_reply
from townhall.ingest.items import IncomingItem, ItemError, parse_item
from townhall.ingest.models import Source
from townhall.ingest.services import items_ingest


def channel_connected(council: Any, platform: str, handle: str, *, settings: dict[str, Any],
                      secrets: dict[str, str], name: str = "") -> Any:
    """A channel with its settings and stored secrets, as connecting it leaves it."""
    channel, _ = channel_create(council=council, platform=platform, handle=handle, name=name)
    channel_credentials_set(channel=channel, settings=settings, secrets=secrets)
    return channel


class ConnectorContract:
    """Hooks a platform's test class provides."""

    platform: str = ""
    fixtures_dir: Path = Path()
    app_secret: str = ""
    # (method, path pattern) of the call that sends a reply, for scripting faults.
    send_route: tuple[str, str] = ("POST", "")

    @pytest.fixture
    def fake(self) -> Any:
        raise NotImplementedError

    @pytest.fixture
    def channel(self, council: Any, fake: FakeApi) -> Any:
        raise NotImplementedError

    @pytest.fixture
    def connector(self, channel: Any) -> Connector:
        from townhall.connectors.registry import connector_for

        return connector_for(channel)

    def entries_body(self, entries: list[str]) -> bytes:
        """A webhook body of entries: 'good:<n>' for a distinct valid message n, 'bad'
        for one the platform might send broken."""
        raise NotImplementedError

    def reply_to(self) -> bytes:
        """A recorded webhook body whose message an officer can reply to."""
        raise NotImplementedError

    def sent_replies(self, fake: FakeApi) -> list[Any]:
        raise NotImplementedError

    def signed(self, body: bytes, secret: str | None = None) -> dict[str, str]:
        return {self.signature_header: sign(secret or self.app_secret, body)}

    @property
    def signature_header(self) -> str:
        from townhall.connectors.registry import connector_class

        return connector_class(self.platform).signature_header

    def webhook_url(self, channel: Any) -> str:
        return f"/connectors/{self.platform}/{channel.key}/webhook"

    def recorded(self) -> list[Path]:
        return sorted((self.fixtures_dir / "webhooks").glob("*.json"))

    # Helpers -----------------------------------------------------------------

    def _post(self, channel: Any, body: bytes, headers: dict[str, str]) -> Any:
        return Client().post(self.webhook_url(channel), data=body,
                             content_type="application/json", headers=headers)

    def _queued_reply(self, channel: Any, connector: Connector, alice: Any) -> Message:
        items = [p for p in connector.parse_webhook(self.reply_to())
                 if isinstance(p, IncomingItem)]
        items_ingest(council=channel.council, items=items, source=Source.CONNECTOR,
                     channel=channel)
        conversation = Conversation.objects.get(channel=channel,
                                                messages__platform_message_id=items[0]
                                                .platform_message_id)
        return conversation_reply(conversation=conversation, text="Thank you, we are on it.",
                                  by=alice, version=conversation.version,
                                  idempotency_key="k-" + items[0].platform_message_id[:40])

    @staticmethod
    def _make_due(message: Message) -> None:
        Delivery.objects.filter(message=message).update(
            next_attempt_at=timezone.now() - timedelta(seconds=1))

    # Parsing -----------------------------------------------------------------

    def test_it_parses_every_recorded_payload_into_valid_items(self, connector: Connector) -> None:
        assert self.recorded(), "Record at least one webhook payload."
        for path in self.recorded():
            parsed = connector.parse_webhook(path.read_bytes())
            items = [p for p in parsed if isinstance(p, IncomingItem)]
            assert items, f"{path.name} gave no items"
            assert len(items) == len(parsed), f"{path.name}: {parsed}"
            for item in items:
                assert item.platform == self.platform
                assert item.created_at.utcoffset() is not None
                assert parse_item(item.to_payload()) == item

    def test_a_malformed_entry_does_not_drop_its_neighbours(self, connector: Connector) -> None:
        parsed = connector.parse_webhook(self.entries_body(["good:1", "bad", "good:2"]))
        assert [type(p) for p in parsed] == [IncomingItem, ItemError, IncomingItem]

    def test_it_stores_the_neighbours_of_a_malformed_entry(self, channel: Any) -> None:
        body = self.entries_body(["good:1", "bad", "good:2"])
        response = self._post(channel, body, self.signed(body))
        assert response.status_code == 200
        assert response.json()["accepted"] == 2
        assert len(response.json()["rejected"]) == 1
        assert Message.objects.filter(channel=channel).count() == 2

    # Signatures --------------------------------------------------------------

    def test_it_accepts_a_correct_signature(self, connector: Connector) -> None:
        body = self.entries_body(["good:1"])
        assert connector.verify_webhook(self.signed(body), body)

    def test_it_accepts_an_upper_case_hex_signature(self, connector: Connector) -> None:
        body = self.entries_body(["good:1"])
        scheme, _, digest = sign(self.app_secret, body).partition("=")
        assert connector.verify_webhook({self.signature_header: f"{scheme}={digest.upper()}"},
                                        body)

    @pytest.mark.parametrize("case", ["missing", "tampered", "wrong-secret", "garbage"])
    def test_it_rejects_a_bad_signature(self, connector: Connector, channel: Any,
                                        case: str) -> None:
        body = self.entries_body(["good:1"])
        headers = {
            "missing": {},
            "tampered": self.signed(self.entries_body(["good:2"])),
            "wrong-secret": self.signed(body, secret="not-the-app-secret"),
            "garbage": {self.signature_header: "md5=abc"},
        }[case]
        assert not connector.verify_webhook(headers, body)
        response = self._post(channel, body, headers)
        assert response.status_code == 401
        assert Message.objects.count() == 0

    def test_it_refuses_an_oversized_payload_clearly(self, channel: Any) -> None:
        body = self.entries_body([f"good:{n}" for n in range(50)])
        with override_settings(TOWNHALL_MAX_BODY_BYTES=len(body) - 1):
            response = self._post(channel, body, self.signed(body))
        assert response.status_code == 413
        assert "limit" in response.json()["error"]
        assert Message.objects.count() == 0

    def test_it_asks_the_platform_to_retry_when_the_database_is_down(self, channel: Any) -> None:
        body = self.entries_body(["good:1"])
        with mock.patch.object(WebhookBatch.objects, "create",
                               side_effect=DatabaseError("could not connect to server")):
            response = self._post(channel, body, self.signed(body))
        assert response.status_code == 503
        assert response["Retry-After"] == "30"

    def test_a_body_that_fails_after_the_answer_is_kept_and_swept(self, channel: Any) -> None:
        body = self.entries_body(["good:1", "good:2"])
        with mock.patch("townhall.ingest.services.raw_events_store",
                        side_effect=DatabaseError("database is locked")):
            response = self._post(channel, body, self.signed(body))
        assert response.status_code == 200
        kept = WebhookBatch.objects.get(channel=channel)
        assert kept.status == "failed" and "locked" in kept.error
        assert Message.objects.filter(channel=channel).count() == 0
        WebhookBatch.objects.filter(pk=kept.pk).update(next_attempt_at=timezone.now())
        assert webhook_batches_process_due()["processed"] == 1
        assert Message.objects.filter(channel=channel).count() == 2
        assert not WebhookBatch.objects.filter(channel=channel).exists()

    # Duplicates --------------------------------------------------------------

    def test_it_creates_each_message_once_from_duplicate_and_out_of_order_deliveries(
        self, channel: Any
    ) -> None:
        bodies = [self.entries_body(["good:2"]), self.entries_body(["good:1", "good:2"]),
                  self.entries_body(["good:1"]), self.entries_body(["good:2", "good:1"])]
        for body in bodies:
            assert self._post(channel, body, self.signed(body)).status_code == 200
        assert Message.objects.filter(channel=channel).count() == 2

    # Polling -----------------------------------------------------------------

    def test_it_polls_and_saves_the_cursor_after_the_messages(self, channel: Any) -> None:
        first = channel_poll(channel=channel)
        assert first.created > 0
        cursor = ChannelCursor.objects.get(channel=channel)
        assert cursor.position and cursor.polled_at is not None
        again = channel_poll(channel=channel)
        assert again.created == 0
        assert Message.objects.filter(channel=channel).count() == first.created

    def test_it_keeps_the_cursor_when_storing_fails(self, channel: Any) -> None:
        with mock.patch("townhall.ingest.services.raw_events_store",
                        side_effect=DatabaseError("disk full")), pytest.raises(DatabaseError):
            channel_poll(channel=channel)
        assert ChannelCursor.objects.get(channel=channel).position == {}

    # Replies -----------------------------------------------------------------

    def test_it_sends_a_queued_reply_once(self, channel: Any, connector: Connector,
                                          fake: FakeApi, alice: Any) -> None:
        reply = self._queued_reply(channel, connector, alice)
        sent = reply_deliver(message=reply)
        assert sent.delivery_status == DeliveryStatus.SENT
        assert sent.platform_message_id
        reply_deliver(message=reply)
        assert len(self.sent_replies(fake)) == 1
        assert AuditEvent.objects.filter(action="reply.sent", object_id=str(reply.pk)).count() == 1

    def test_a_429_with_reset_headers_then_success_sends_exactly_one_reply(
        self, channel: Any, connector: Connector, fake: FakeApi, alice: Any
    ) -> None:
        reply = self._queued_reply(channel, connector, alice)
        fake.script(*self.send_route, Scripted(429, {"error": {"message": "Too many calls"}},
                                               headers={"Retry-After": "120"}))
        before = timezone.now()
        assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
        delivery = Delivery.objects.get(message=reply)
        assert delivery.next_attempt_at is not None
        assert delivery.next_attempt_at >= before + timedelta(seconds=119)
        assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED  # not due
        self._make_due(reply)
        assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
        assert len(self.sent_replies(fake)) == 1
        assert list(DeliveryAttempt.objects.filter(message=reply)
                    .values_list("outcome", flat=True)) == ["retry", "sent"]

    def test_a_server_error_is_retriable(self, channel: Any, connector: Connector,
                                         fake: FakeApi, alice: Any) -> None:
        reply = self._queued_reply(channel, connector, alice)
        fake.script(*self.send_route, Scripted(500, {"error": {"message": "Unknown error"}}))
        with pytest.raises(RetriableError):
            connector.send_reply(text="x", thread_id=reply.conversation.thread_key,
                                 in_reply_to="", idempotency_key="k")
        fake.script(*self.send_route, Scripted(503, {}))
        assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED

    def test_a_timeout_is_reconciled_before_any_retry(self, channel: Any, connector: Connector,
                                                      fake: FakeApi, alice: Any) -> None:
        reply = self._queued_reply(channel, connector, alice)
        # The platform takes the reply but answers too late.
        fake.script(*self.send_route, Scripted(delay=1.5))
        with mock.patch.object(type(connector), "_client", _short_timeout(connector)):
            assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
        assert Delivery.objects.get(message=reply).maybe_sent
        self._make_due(reply)
        done = reply_deliver(message=reply)
        assert done.delivery_status == DeliveryStatus.SENT
        assert len(self.sent_replies(fake)) == 1
        assert done.platform_message_id == self.sent_replies(fake)[0]["id"]
        last = DeliveryAttempt.objects.filter(message=reply).last()
        assert last is not None and last.outcome == "found"

    def test_other_4xx_errors_are_permanent_and_shown(self, channel: Any, connector: Connector,
                                                      fake: FakeApi, alice: Any) -> None:
        reply = self._queued_reply(channel, connector, alice)
        fake.script(*self.send_route, Scripted(400, {"error": {
            "message": "(#100) The parameter recipient is invalid"}}))
        failed = reply_deliver(message=reply)
        assert failed.delivery_status == DeliveryStatus.FAILED
        assert "refused" in delivery_error(message=reply)
        assert self.app_secret not in json.dumps(list(AuditEvent.objects.values("data")))
        fake.script(*self.send_route, Scripted(404, {}))
        with pytest.raises(PermanentError):
            connector.send_reply(text="x", thread_id="t", in_reply_to="p", idempotency_key="k")


def _short_timeout(connector: Connector) -> Any:
    original = type(connector)._client  # type: ignore[attr-defined]

    def client(self: Any) -> Any:
        made = original(self)
        made.timeout = 0.5
        return made

    return client
