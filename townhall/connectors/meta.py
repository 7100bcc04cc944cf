"""What Facebook and Instagram share as Meta platforms: the Graph API with the Page token
(paging, the channel check, the Page's own messages) and the webhook envelope.

Meta's webhook signatures and handshake are in facebook/verification.py, and its
messaging windows in facebook/window.py.
"""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from townhall.connectors.base import CheckResult, PollResult, SentMessage
from townhall.connectors.errors import ConnectorError, NotConfigured
from townhall.connectors.http import HttpClient
from townhall.ingest.items import IncomingItem, ItemError

GRAPH_URL = "https://graph.facebook.com/v21.0"
# Stop following pages after this many per call, so one poll cannot run for ever; the
# cursor only moves to what was read, and the next poll carries on.
MAX_PAGES = 50
MESSAGE_FIELDS = "messages{id,message,created_time,from,to}"
SECRETS = (("page_access_token", "Page access token"), ("app_secret", "app secret"),
           ("verify_token", "verify token"))

Items = list[IncomingItem | ItemError]


class MetaGraphApi:
    """Calls to Meta's Graph API with the Page token, shared by Facebook and Instagram.

    Subclasses set `name` (for error messages) and have `config` as every connector does.
    """

    graph_url = GRAPH_URL
    name = "Meta"
    config: Any

    def _client(self) -> HttpClient:
        return HttpClient(base_url=str(self.config.get("graph_url") or self.graph_url),
                          name=self.name, timeout=float(self.config.get("timeout") or 10))

    def _token(self) -> dict[str, str]:
        return {"access_token": self.config.secret("page_access_token", "Page access token")}

    def _get(self, path: str, **params: Any) -> Any:
        return self._client().request("GET", path, params={**params, **self._token()})

    def _rows(self, path: str, first: Any = None, **params: Any) -> Iterator[dict[str, Any]]:
        """Each row of a paged Graph list, following paging.cursors.after; `first` is a
        page already in hand (a list nested in another answer)."""
        data = first if first is not None else self._get(path, **params)
        for _ in range(MAX_PAGES):
            yield from (r for r in data.get("data", []) if isinstance(r, dict))
            paging = data.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not paging.get("next") or not after:
                break
            data = self._get(path, **params, after=after)

    def _pages(self, path: str, first: Any = None, **params: Any) -> list[dict[str, Any]]:
        """Every row of a paged Graph list."""
        return list(self._rows(path, first, **params))

    def _conversation_messages(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """The messages of each conversation in a paged conversations list."""
        rows: list[dict[str, Any]] = []
        for conversation in self._pages(path, **params, fields=MESSAGE_FIELDS):
            rows += (conversation.get("messages") or {}).get("data", [])
        return rows

    def _check(self, *, setting: str, what: str, whose: Callable[[], str]) -> CheckResult:
        """Whether the account's id (`setting`, named `what`) and Meta's secrets are set,
        then whether the token works; `whose` reads the account and names it."""
        missing = []
        if not self.config.get(setting):
            missing.append(f"The {what} is not set. Add '{setting}' to the channel's settings.")
        for name, label in SECRETS:
            try:
                self.config.secret(name, label)
            except NotConfigured as error:
                missing.append(str(error))
        if missing:
            return CheckResult(credentials_ok=False, reachable=False,
                               lines=[*missing, f"Townhall did not contact {self.name}."])
        lines = [f"The {what}, Page access token, app secret and verify token are set."]
        try:
            account = whose()
        except ConnectorError as error:
            return CheckResult(credentials_ok=True, reachable=False,
                               lines=[*lines, f"{self.name} could not be reached: {error}"])
        lines.append(f"{self.name} answered: the token works for {account}.")
        return CheckResult(credentials_ok=True, reachable=True, lines=lines)


def polled(items: list[IncomingItem], errors: list[ItemError], since: int) -> PollResult:
    """A poll's items from `since` (epoch seconds) on; the cursor is the newest time seen."""
    newest = max([since] + [int(i.created_at.timestamp()) for i in items])
    return PollResult(items=[i for i in items if i.created_at.timestamp() >= since],
                      cursor={"since": newest}, errors=errors)


def own_reply(rows: list[dict[str, Any]], *, account: str, text: str, floor: float,
              stamp: str = "created_time", body: str = "message") -> SentMessage | None:
    """The account's own row with this text, written at or after `floor` (epoch seconds),
    among Graph rows whose time and text are in the fields `stamp` and `body`."""
    for row in rows:
        created = parse_time(row.get(stamp))
        author = str((row.get("from") or {}).get("id", ""))
        if author == account and row.get(body) == text and (
                created is None or created.timestamp() >= floor):
            return SentMessage(platform_message_id=str(row["id"]), sent_at=created)
    return None


def parse_time(raw: Any) -> datetime | None:
    if isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            return None
    if isinstance(raw, int | float):
        return datetime.fromtimestamp(raw, tz=UTC)
    return None


# Webhooks -------------------------------------------------------------------------------


def webhook_entries(data: Any, *, kind: str, refusal: str,
                    read: Callable[[int, dict[str, Any]], Items]) -> Items:
    """The items of a webhook body whose `object` is `kind`, each entry read by `read`
    (its index and the entry); a body of another kind is refused with `refusal`."""
    if not isinstance(data, dict) or data.get("object") != kind:
        return [ItemError(refusal)]
    entries = data.get("entry")
    if not isinstance(entries, list):
        return [ItemError("'entry' must be a list.")]
    out: Items = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            out.append(ItemError(f"Entry {index} is not an object."))
            continue
        out += read(index, entry)
    return out


def entry_items(build: Any, index: int) -> Items:
    """One webhook entry's item, or its error in its place."""
    try:
        item = build()
    except ItemError as error:
        return [ItemError(f"Entry {index}: {error}")]
    except (TypeError, AttributeError, ValueError) as error:
        return [ItemError(f"Entry {index} is not shaped as Meta documents it ({error}).")]
    return [item] if item is not None else []


def attachments(raw: Any) -> list[dict[str, Any]]:
    """A Messenger Platform message's attachments as items carry them."""
    out = []
    for attachment in raw if isinstance(raw, list) else []:
        if isinstance(attachment, dict):
            payload = attachment.get("payload") or {}
            out.append({"type": str(attachment.get("type", "file")),
                        "url": str(payload.get("url", "")) if isinstance(payload, dict) else ""})
    return out
