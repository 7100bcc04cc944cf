"""Signing in to a platform to connect a channel (OAuth), for the admin connect pages.

A platform offers a sign-in when its connector package has a `login` module with a
`LOGIN` object (a `LoginFlow`): Meta's login dialog for Facebook and Instagram, OAuth 2.0
with PKCE for X, an app registered on the council's own server for Mastodon. The pages
keep one `PendingLogin` per browser session, encrypted, and bound to the person, the
council and the channel; the `state` sent to the platform must come back unchanged.
"""

import base64
import hashlib
import hmac
import importlib
import json
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlencode

from townhall.connectors.errors import PermanentError, UnknownPlatform
from townhall.connectors.registry import connector_class
from townhall.core.lib.crypto import decrypt, encrypt

# How long a sign-in may take, from leaving Townhall to coming back.
LOGIN_TIMEOUT = 15 * 60


class LoginRefused(PermanentError):
    """The sign-in cannot go on; the text says why in plain words."""


@dataclass(frozen=True)
class Credentials:
    """What a finished sign-in gives the channel."""

    settings: dict[str, Any]
    secrets: dict[str, str]
    # Lines for the page after saving, such as whether the Page was subscribed.
    notes: list[str] = field(default_factory=list)
    # Stored names the new details make wrong (an `_env` name that would win over the
    # new token, say), to remove.
    drop: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    """One account the person may connect (a Facebook Page, say)."""

    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Choice:
    """A sign-in that needs the person to pick one account before it can finish."""

    question: str
    options: list[Option]
    # Kept encrypted in the session until the choice is made (Page tokens, say).
    private: dict[str, Any]


@dataclass
class PendingLogin:
    """A sign-in in progress, kept in the session between leaving and coming back."""

    platform: str
    channel_id: int
    council_id: int
    user_id: int
    state: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    started: float = field(default_factory=time.time)
    private: dict[str, Any] = field(default_factory=dict)
    # "away" while the person is at the platform; "choosing" once back with a Choice.
    step: str = "away"

    def seal(self) -> str:
        return encrypt(json.dumps(asdict(self)))

    @classmethod
    def unseal(cls, token: str) -> "PendingLogin | None":
        try:
            return cls(**json.loads(decrypt(token)))
        except (ValueError, TypeError):
            return None

    def expired(self, *, now: float | None = None) -> bool:
        return (now or time.time()) - self.started > LOGIN_TIMEOUT

    def state_matches(self, given: str) -> bool:
        return hmac.compare_digest(self.state.encode(), given.encode())


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge), as RFC 7636 describes."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
    return verifier, challenge


def with_query(url: str, params: Mapping[str, str]) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


class LoginFlow(ABC):
    """One platform's sign-in. `start` gives the address to send the person to;
    `finish` turns what the platform sent back into credentials, or a choice."""

    # The button's words, such as "Sign in with Facebook" (may be a lazy translation).
    label: Any = ""
    # A short paragraph on what the sign-in does and what the person needs.
    explanation: Any = ""
    # Whether the start needs the person to type something first (a server address).
    asks_for_server = False

    def unavailable(self) -> str | None:
        """Why the sign-in cannot be offered on this installation, or None if it can."""
        return None

    @abstractmethod
    def start(self, *, redirect_uri: str, pending: PendingLogin,
              server: str = "") -> str:
        """The platform's address for the person; fill `pending.private` as needed."""

    @abstractmethod
    def finish(self, *, redirect_uri: str, pending: PendingLogin,
               query: Mapping[str, str]) -> Credentials | Choice:
        """Exchange the code the platform sent back."""

    def choose(self, *, pending: PendingLogin, value: str) -> Credentials:
        raise LoginRefused("This sign-in has nothing to choose.")


def refusal_from_query(query: Mapping[str, str], platform_name: str) -> str | None:
    """The platform's own "no" (RFC 6749 error parameters), in plain words."""
    error = query.get("error")
    if not error:
        return None
    if error in ("access_denied", "user_denied") or query.get("error_reason") == "user_denied":
        return (f"You did not allow Townhall to use the account on {platform_name}, so "
                "nothing was changed. Start again if you meant to.")
    detail = (query.get("error_description") or error)[:200]
    return f"{platform_name} stopped the sign-in: {detail}. Nothing was changed."


def server_address(raw: str) -> str:
    """A council's own server (Mastodon), as scheme and host only.

    Townhall will call this address, so it must be https. Plain http is allowed only
    for hosts listed in the TOWNHALL_CONNECT_INSECURE_HOSTS setting (tests and local
    trials), never by default."""
    from urllib.parse import urlsplit

    from django.conf import settings

    text = raw.strip()
    if text and "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    host = parts.hostname or ""
    insecure_ok = host in getattr(settings, "TOWNHALL_CONNECT_INSECURE_HOSTS", ())
    if not host or "." not in host and not insecure_ok:
        raise LoginRefused("Enter the server's address, like https://social.example.gov.uk")
    if parts.scheme != "https" and not (parts.scheme == "http" and insecure_ok):
        raise LoginRefused("The server's address must start with https://")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def login_flow_for(platform: str) -> LoginFlow | None:
    """The platform's sign-in, if its connector package has one (`login.LOGIN`)."""
    try:
        package = connector_class(platform).__module__.rpartition(".")[0]
    except UnknownPlatform:
        return None
    try:
        module = importlib.import_module(f"{package}.login")
    except ModuleNotFoundError as error:
        if error.name != f"{package}.login":
            raise
        return None
    flow = getattr(module, "LOGIN", None)
    return flow if isinstance(flow, LoginFlow) else None
