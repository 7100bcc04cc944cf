"""Reading a mailbox over IMAP (RFC 3501) with the standard library's imaplib.

Folders are opened read-only (EXAMINE) and bodies fetched with BODY.PEEK, so Townhall
never marks mail as read or changes it for the people who also use the mailbox.
"""

import imaplib
import re
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self

from townhall.connectors.email.endpoints import Endpoint
from townhall.connectors.errors import PermanentError, RetriableError

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UID = re.compile(rb"\bUID (\d+)")
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')
FETCH_CHUNK = 25


@dataclass(frozen=True)
class FolderState:
    uidvalidity: int
    uidnext: int
    exists: int


@dataclass(frozen=True)
class Fetched:
    uid: int
    raw: bytes
    internal_date: datetime | None


def imap_date(day: date) -> str:
    """An IMAP search date (English month names whatever the locale)."""
    return f"{day.day}-{_MONTHS[day.month - 1]}-{day.year}"


def quoted(value: str) -> str:
    if any(c in value for c in '\r\n\x00'):
        raise PermanentError("A mailbox or message name contains a line break, which IMAP "
                             "cannot carry.")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _internal_date(meta: bytes) -> datetime | None:
    found = _INTERNALDATE.search(meta)
    if not found:
        return None
    try:
        return datetime.strptime(found.group(1).decode(), "%d-%b-%Y %H:%M:%S %z").astimezone(UTC)
    except ValueError:
        return None


class Mailbox:
    """One IMAP session: `with Mailbox(endpoint) as box: box.examine("INBOX") ...`."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.conn: imaplib.IMAP4 | None = None

    # Connection -------------------------------------------------------------

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def open(self) -> None:
        e = self.endpoint
        with self._errors("connect"):
            if e.security == "ssl":
                conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(e.host, e.port,
                                                        ssl_context=e.tls_context(),
                                                        timeout=e.timeout)
            else:
                conn = imaplib.IMAP4(e.host, e.port, timeout=e.timeout)
                if e.security == "starttls":
                    conn.starttls(ssl_context=e.tls_context())
        self.conn = conn
        try:
            conn.login(e.username, e.password)
        except imaplib.IMAP4.abort:
            self.close()
            raise RetriableError(f"The IMAP server {e.where} dropped the connection while "
                                 "Townhall was logging in.") from None
        except imaplib.IMAP4.error as error:
            self.close()
            raise PermanentError(f"The IMAP server {e.where} refused the username or "
                                 f"password for {e.username} ({_said(error)}). Check the "
                                 "channel's IMAP login.") from None
        except OSError:
            self.close()
            raise RetriableError(f"The connection to the IMAP server {e.where} failed "
                                 "while logging in.") from None

    def close(self) -> None:
        if self.conn is None:
            return
        try:
            self.conn.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
        self.conn = None

    def _errors(self, doing: str) -> "_Translate":
        return _Translate(self.endpoint, doing)

    def _call(self, doing: str, command: str, *args: str) -> list[Any]:
        if self.conn is None:
            raise RuntimeError("The mailbox is not open.")
        with self._errors(doing):
            status, data = self.conn.uid(command, *args)
        if status != "OK":
            raise PermanentError(f"The IMAP server {self.endpoint.where} would not {doing}: "
                                 f"{_text(data)}")
        return list(data or [])

    # Reading ----------------------------------------------------------------

    def examine(self, folder: str) -> FolderState:
        """Open `folder` read-only and say where its UIDs stand."""
        if self.conn is None:
            raise RuntimeError("The mailbox is not open.")
        with self._errors(f"open the folder {folder}"):
            status, data = self.conn.select(quoted(folder), readonly=True)
        if status != "OK":
            raise PermanentError(f"The IMAP server has no folder {folder!r} that "
                                 f"{self.endpoint.username} can read ({_text(data)}).")
        return FolderState(uidvalidity=self._number("UIDVALIDITY"),
                           uidnext=self._number("UIDNEXT"),
                           exists=int(_text(data) or 0))

    def _number(self, name: str) -> int:
        assert self.conn is not None  # noqa: S101 - examine opened it
        _, values = self.conn.response(name)
        try:
            return int(_text(values))
        except ValueError:
            return 0

    def has_folder(self, folder: str) -> bool:
        if self.conn is None:
            raise RuntimeError("The mailbox is not open.")
        with self._errors("list folders"):
            status, data = self.conn.list('""', quoted(folder))
        return status == "OK" and any(item for item in data if item)

    def uids_after(self, last_uid: int) -> list[int]:
        # "n:*" includes the highest UID even when it is below n (RFC 3501 6.4.8),
        # so the answer is filtered again here.
        data = self._call("search the folder", "SEARCH", "UID", f"{last_uid + 1}:*")
        return sorted(u for u in _numbers(data) if u > last_uid)

    def uids_since(self, day: date) -> list[int]:
        return sorted(_numbers(self._call("search the folder", "SEARCH", "SINCE",
                                          imap_date(day))))

    def uids_with_message_id(self, message_id: str) -> list[int]:
        return sorted(_numbers(self._call("search the folder", "SEARCH", "HEADER",
                                          "Message-ID", quoted(f"<{message_id}>"))))

    def fetch(self, uids: list[int], *, headers_only: bool = False) -> Iterator[Fetched]:
        """Each message's bytes with its UID and arrival time, a few at a time."""
        part = "BODY.PEEK[HEADER]" if headers_only else "BODY.PEEK[]"
        for start in range(0, len(uids), FETCH_CHUNK):
            chunk = uids[start:start + FETCH_CHUNK]
            data = self._call("fetch messages", "FETCH", ",".join(map(str, chunk)),
                              f"(UID INTERNALDATE {part})")
            found: dict[int, Fetched] = {}
            meta, raw = b"", b""
            for item in [*data, None]:
                if isinstance(item, tuple) or item is None:
                    uid = _UID.search(meta)
                    if uid and raw:
                        number = int(uid.group(1))
                        found[number] = Fetched(uid=number, raw=raw,
                                                internal_date=_internal_date(meta))
                    if isinstance(item, tuple):
                        meta, raw = bytes(item[0]), bytes(item[1])
                elif isinstance(item, bytes):
                    meta += b" " + item
            for number in chunk:
                if number in found:
                    yield found[number]


class _Translate:
    """Network failures become RetriableError, a bad certificate PermanentError; the
    text names the server and what Townhall was doing, never the login."""

    def __init__(self, endpoint: Endpoint, doing: str) -> None:
        self.endpoint = endpoint
        self.doing = doing

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if error is None:
            return
        where = f"The IMAP server {self.endpoint.where}"
        if isinstance(error, ssl.SSLCertVerificationError):
            raise PermanentError(f"The certificate of the IMAP server {self.endpoint.where} "
                                 f"could not be verified ({error.verify_message}). Check the "
                                 "server name, or set 'ca_file' for a private authority.") from None
        if isinstance(error, socket.timeout | TimeoutError):
            raise RetriableError(f"{where} did not answer in time.") from None
        if isinstance(error, imaplib.IMAP4.abort | OSError):
            raise RetriableError(f"The connection to the IMAP server {self.endpoint.where} "
                                 f"failed or was lost ({_said(error)}).") from None
        if isinstance(error, imaplib.IMAP4.error):
            raise PermanentError(f"{where} refused to {self.doing}: {_said(error)}.") from None


def _said(error: BaseException) -> str:
    """What the server or the network said; imaplib passes the server's words as bytes."""
    first = error.args[0] if error.args else None
    text = first.decode("utf-8", "replace") if isinstance(first, bytes) else str(error)
    return (text.strip() or type(error).__name__)[:300]


def _text(data: Any) -> str:
    if isinstance(data, list | tuple):
        data = data[0] if data else b""
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace").strip()
    return str(data or "").strip()


def _numbers(data: list[Any]) -> list[int]:
    numbers: list[int] = []
    for line in data:
        if isinstance(line, bytes):
            numbers += [int(n) for n in line.split() if n.isdigit()]
    return numbers
