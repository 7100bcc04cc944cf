"""What every connector does, in plain dataclasses that know nothing of the inbox."""

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from townhall.connectors.credentials import ConnectorConfig, secrets_decrypt
from townhall.connectors.errors import NotConfigured
from townhall.core.lib.signatures import signature_valid
from townhall.ingest.items import IncomingItem, ItemError

if TYPE_CHECKING:
    from townhall.connectors.models import Channel


@dataclass(frozen=True)
class CheckResult:
    """Whether a channel can work, in plain words an administrator can act on."""

    credentials_ok: bool
    reachable: bool
    lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.credentials_ok and self.reachable


@dataclass(frozen=True)
class ReplyWindow:
    """When a platform lets the council answer in a thread (Messenger's 24 hours).

    `state` is "open" (reply as normal), "tagged" (only with `tag`, which the sender
    passes to `send_reply`) or "closed" (the platform will refuse any reply).
    `explanation` says so in plain words for the officer, before they write."""

    state: str
    closes_at: datetime | None
    explanation: str
    tag: str = ""

    @property
    def closed(self) -> bool:
        return self.state == "closed"


@dataclass(frozen=True)
class PollResult:
    items: list[IncomingItem]
    # Where to start next time; opaque to everything but the connector.
    cursor: dict[str, Any]
    errors: list[ItemError] = field(default_factory=list)


@dataclass(frozen=True)
class SentMessage:
    platform_message_id: str
    sent_at: datetime | None = None


@dataclass(frozen=True)
class Profile:
    handle: str
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Connector(ABC):
    """One platform. Subclasses set `platform` and implement the abstract methods.

    Network methods raise `RetriableError` or `PermanentError` (connectors/errors.py).
    """

    platform: str = ""
    # The header that carries the webhook signature, for error messages and tests.
    signature_header: str = ""
    # How the handshake answer is sent: Meta wants the challenge as plain text, X wants
    # a JSON object.
    handshake_content_type: str = "text/plain"
    # What a refused handshake says, naming what the platform sent that did not match.
    handshake_refusal: str = "The verify token does not match this channel's."
    # Secrets Townhall makes up for the administrator to copy into the platform, as
    # (name, label), such as Meta's verify token. The connect pages show one once.
    generated_secrets: tuple[tuple[str, Any], ...] = ()
    # What the administrator does with the channel's webhook address on the platform's
    # side, for the connect page; empty when the platform sends no webhooks.
    webhook_help: Any = ""

    def __init__(self, *, handle: str, config: ConnectorConfig) -> None:
        self.handle = handle
        self.config = config

    @classmethod
    def from_channel(cls, channel: "Channel") -> Self:
        from townhall.connectors.models import ChannelCredentials
        from townhall.connectors.services import channel_secrets_reload, channel_secrets_rotate

        credentials = ChannelCredentials.objects.filter(channel=channel).first()
        channel_id = channel.pk
        config = ConnectorConfig(
            settings=dict(credentials.settings) if credentials else {},
            stored_secrets=secrets_decrypt(credentials.secrets_encrypted) if credentials else {},
            reload=lambda: channel_secrets_reload(channel_id=channel_id),
            save=lambda values: channel_secrets_rotate(channel_id=channel_id, values=values),
        )
        return cls(handle=channel.handle, config=config)

    @abstractmethod
    def check(self) -> CheckResult: ...

    @abstractmethod
    def poll(self, cursor: dict[str, Any]) -> PollResult: ...

    @abstractmethod
    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool: ...

    def _webhook_signed(self, headers: Mapping[str, str], body: bytes, *, secret: str,
                        label: str,
                        valid: Callable[[str, bytes, str | None], bool] = signature_valid,
                        ) -> bool:
        """Whether `signature_header` (in any case) signs the body with the channel's
        secret `secret` (`label` names it); never while that secret is not set. `valid`
        checks a signature, for a platform that writes it other than as `sha256=<hex>`."""
        lower = {k.lower(): v for k, v in headers.items()}
        try:
            key = self.config.secret(secret, label)
        except NotConfigured:
            return False
        return valid(key, body, lower.get(self.signature_header.lower()))

    def handshake(self, query: Mapping[str, str]) -> str | None:
        """The answer to a platform's subscription check, or None to refuse it."""
        return None

    def parse_webhook(self, body: bytes) -> list[IncomingItem | ItemError]:
        """Every item in a verified body; a bad entry becomes an ItemError in its place."""
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            return [ItemError(f"The body is not valid UTF-8 JSON: {error}.")]
        return self.webhook_items(data)

    @abstractmethod
    def webhook_items(self, data: Any) -> list[IncomingItem | ItemError]:
        """The items in a decoded webhook body, as the platform documents its shape."""

    def reply_window(self, *, thread_id: str, last_inbound_at: datetime | None,
                     now: datetime) -> ReplyWindow | None:
        """The platform's limit on answering in this thread, or None if it has none.

        A connector that can return a window with a `tag` accepts `tag=` in send_reply;
        the sender passes it only then, so other connectors keep the plain signature."""
        return None

    @abstractmethod
    def send_reply(self, *, text: str, thread_id: str, in_reply_to: str,
                   idempotency_key: str) -> SentMessage: ...

    @abstractmethod
    def find_sent(self, *, text: str, thread_id: str, in_reply_to: str, idempotency_key: str,
                  since: datetime) -> SentMessage | None:
        """Look for a reply that may have been sent by an attempt that timed out."""

    @abstractmethod
    def fetch_profile(self, author: str) -> Profile: ...
