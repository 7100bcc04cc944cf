"""Email: a council mailbox read over IMAP, replies sent over SMTP.

Settings: from_address (the council's address, required), from_name (shown after the
officer's name), folder (default INBOX), sent_folder (default Sent), copy_to (where
the server's copy of each reply goes; default from_address, "none" for no copy),
backfill_days (how far back a first poll reads; default 7), copy_wait (seconds to
wait for that copy before a retry; default 10), and the IMAP and SMTP
servers and logins described in endpoints.py. An optional webhook_secret lets the
council's own mail server push new mail (see `webhook_items`).

Cursor: {"uidvalidity", "last_uid", "polled_on"}. When the server's UIDVALIDITY
changes (the folder was rebuilt and every UID renumbered) the folder is read again from
two days before the last poll; the Message-ID is the platform message id, so what was
already stored is recognised and not stored twice.
"""

import base64
import binascii
import hashlib
import logging
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, getaddresses
from typing import Any

from townhall.connectors.base import CheckResult, Connector, PollResult, Profile, SentMessage
from townhall.connectors.email import parsing
from townhall.connectors.email.endpoints import endpoint
from townhall.connectors.email.imap import Mailbox
from townhall.connectors.email.mailto import is_mailto, mailto_parts
from townhall.connectors.email.selectors import reply_author_name
from townhall.connectors.email.smtp import SmtpSender
from townhall.connectors.errors import ConnectorError, NotConfigured, PermanentError
from townhall.ingest.items import IncomingItem, ItemError

logger = logging.getLogger(__name__)

SEVEN_BIT = policy.SMTP.clone(cte_type="7bit")
MAX_PER_POLL = 200
# How long find_sent waits for the server's copy of a reply, and how often it looks.
COPY_WAIT = 10.0
COPY_POLL = 0.5
# Mail clients keep the first and the latest References; so does Townhall past this.
MAX_REFERENCES = 20
DEFAULT_BACKFILL_DAYS = 7


def reply_message_id(idempotency_key: str, from_address: str) -> str:
    """The Message-ID of the reply stored under `idempotency_key` (without brackets).

    Derived from the key, so every attempt at the same reply carries the same id and
    a retry can look for it before sending again.
    """
    domain = from_address.rpartition("@")[2] or "townhall.invalid"
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    return f"townhall.{digest}@{domain}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


class EmailConnector(Connector):
    platform = "email"
    # A council's mail server that pushes new mail signs the body with HMAC-SHA256.
    signature_header = "X-Townhall-Signature"

    # Settings ---------------------------------------------------------------

    @property
    def from_address(self) -> str:
        return str(self.config.require("from_address", "address to send replies from"))

    @property
    def folder(self) -> str:
        return str(self.config.get("folder") or "INBOX")

    @property
    def sent_folder(self) -> str:
        return str(self.config.get("sent_folder") or "Sent")

    def copy_to(self) -> str:
        copy = str(self.config.get("copy_to") or self.from_address)
        return "" if copy.lower() == "none" else copy

    def own_addresses(self) -> set[str]:
        found = {str(self.config.get("from_address") or "").lower(),
                 str(self.config.get("copy_to") or "").lower(),
                 str(self.config.get("imap_username") or "").lower()}
        return {a for a in found if "@" in a}

    def _client(self) -> SmtpSender:
        return SmtpSender(endpoint(self.config, "smtp"))

    def _mailbox(self) -> Mailbox:
        return Mailbox(endpoint(self.config, "imap"))

    # Checks -----------------------------------------------------------------

    def check(self) -> CheckResult:
        missing = []
        for check in (lambda: self.from_address, lambda: endpoint(self.config, "imap"),
                      lambda: endpoint(self.config, "smtp")):
            try:
                check()
            except NotConfigured as error:
                missing.append(str(error))
        if missing:
            return CheckResult(credentials_ok=False, reachable=False,
                               lines=[*missing, "Townhall did not contact the mail servers."])
        lines: list[str] = []
        logins_ok, reachable = True, True
        try:
            with self._mailbox() as box:
                state = box.examine(self.folder)
            imap = box.endpoint
            lines.append(f"IMAP login works: {imap.username} can read the {self.folder} "
                         f"folder on {imap.where} ({state.exists} emails in it).")
        except PermanentError as error:
            logins_ok = False
            lines.append(f"IMAP login failed: {error}")
        except ConnectorError as error:
            reachable = False
            lines.append(f"The IMAP server could not be reached: {error}")
        try:
            lines.append(self._client().check())
        except PermanentError as error:
            logins_ok = False
            lines.append(f"SMTP login failed: {error}")
        except ConnectorError as error:
            reachable = False
            lines.append(f"The SMTP server could not be reached: {error}")
        return CheckResult(credentials_ok=logins_ok, reachable=reachable, lines=lines)

    # Webhooks ---------------------------------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        return self._webhook_signed(headers, body, secret="webhook_secret",
                                    label="webhook secret")

    def webhook_items(self, data: Any) -> list[IncomingItem | ItemError]:
        """A push from the council's mail server: {"messages": [{"mime": "<base64>"}]},
        each entry one email exactly as received (RFC 5322 bytes, base64-encoded)."""
        entries = data.get("messages") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            return [ItemError("The body must be a JSON object with a 'messages' list.")]
        out: list[IncomingItem | ItemError] = []
        for entry in entries:
            encoded = entry.get("mime") if isinstance(entry, dict) else None
            if not isinstance(encoded, str) or not encoded:
                out.append(ItemError("Each message must be an object with 'mime': the email, "
                                     "base64-encoded."))
                continue
            try:
                raw = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                out.append(ItemError("'mime' is not valid base64."))
                continue
            try:
                result = parsing.email_item(raw, channel=self.handle,
                                            own_addresses=self.own_addresses())
            except ItemError as error:
                out.append(error)
                continue
            if isinstance(result, parsing.Skipped):
                logger.info("Email channel %s: %s", self.handle, result)
                continue
            out.append(result)
        return out

    # Polling ----------------------------------------------------------------

    def poll(self, cursor: dict[str, Any]) -> PollResult:
        """New mail in the folder since the cursor's UID, at most MAX_PER_POLL at a time."""
        today = datetime.now(UTC).date()
        items: list[IncomingItem] = []
        errors: list[ItemError] = []
        seen: set[str] = set()
        with self._mailbox() as box:
            state = box.examine(self.folder)
            validity = int(cursor.get("uidvalidity") or 0)
            last_uid = int(cursor.get("last_uid") or 0)
            if validity and validity == state.uidvalidity:
                uids = box.uids_after(last_uid)
            else:
                since = self._rescan_from(cursor, today)
                if validity:
                    logger.warning("Email channel %s: the folder %s was renumbered "
                                   "(UIDVALIDITY %s became %s); reading it again from %s.",
                                   self.handle, self.folder, validity, state.uidvalidity,
                                   since)
                uids = box.uids_since(since) if since <= today else []
                last_uid = 0
            batch = uids[:MAX_PER_POLL]
            for fetched in box.fetch(batch):
                try:
                    result = parsing.email_item(fetched.raw, channel=self.handle,
                                                own_addresses=self.own_addresses(),
                                                received_at=fetched.internal_date)
                except ItemError as error:
                    errors.append(ItemError(f"Email UID {fetched.uid}: {error}"))
                    continue
                if isinstance(result, parsing.Skipped):
                    logger.info("Email channel %s: %s", self.handle, result)
                    continue
                if result.platform_message_id not in seen:
                    seen.add(result.platform_message_id)
                    items.append(result)
        if batch:
            last_uid = max(last_uid, *batch)
        elif not uids:
            # Nothing to read: what is below UIDNEXT is older than the window or stored.
            last_uid = max(last_uid, state.uidnext - 1)
        return PollResult(items=items, errors=errors, cursor={
            "uidvalidity": state.uidvalidity, "last_uid": last_uid,
            "polled_on": today.isoformat()})

    def _rescan_from(self, cursor: dict[str, Any], today: date) -> date:
        polled_on = cursor.get("polled_on")
        if polled_on:
            try:
                return date.fromisoformat(str(polled_on)) - timedelta(days=2)
            except ValueError:
                pass
        try:
            days = int(self.config.get("backfill_days", DEFAULT_BACKFILL_DAYS))
        except (TypeError, ValueError):
            raise NotConfigured("The 'backfill_days' setting must be a whole number.") from None
        # 0 days: a first poll starts from now and reads nothing older.
        return today - timedelta(days=days) if days > 0 else today + timedelta(days=1)

    # Replies ----------------------------------------------------------------

    def _find(self, box: Mailbox, folder: str, message_id: str) -> EmailMessage | None:
        """The headers of the email with exactly this Message-ID in `folder`."""
        box.examine(folder)
        uids = box.uids_with_message_id(message_id)
        for fetched in box.fetch(uids, headers_only=True):
            headers = parsing.message_from_bytes(fetched.raw)
            if parsing.message_id(parsing.header(headers, "Message-ID")) == message_id:
                return headers
        return None

    def send_reply(self, *, text: str, thread_id: str, in_reply_to: str,
                   idempotency_key: str) -> SentMessage:
        """Answer the resident's email: to its Reply-To (else From), "Re:" its subject,
        In-Reply-To and References set, with a Message-ID made from the key.

        A reply whose `in_reply_to` is a mailto: URI answers nothing in the mailbox (a web
        chat that ended, where the resident gave an email address): it is a new email to
        that address, with the URI's subject."""
        if is_mailto(in_reply_to):
            return self._send_new(text=text, uri=in_reply_to, idempotency_key=idempotency_key)
        parent_id = in_reply_to or thread_id
        if not parent_id:
            raise PermanentError("The reply has no email to answer, so Townhall does not "
                                 "know where to send it.")
        with self._mailbox() as box:
            parent = self._find(box, self.folder, parent_id)
        if parent is None:
            raise PermanentError(f"Townhall could not find the email <{parent_id}> in the "
                                 f"{self.folder} folder, so it does not know where to send "
                                 "the reply. If it was moved or deleted, put it back, then "
                                 "send the reply again.")
        name, address = self._recipient(parent)
        if not address:
            raise PermanentError(f"The email <{parent_id}> has no address to reply to.")
        references = [*parsing.message_ids(parsing.header(parent, "References")), parent_id]
        if len(references) > MAX_REFERENCES:
            references = [references[0], *references[-(MAX_REFERENCES - 1):]]
        return self._send(text=text, to=formataddr((_one_line(name), address)),
                          address=address, idempotency_key=idempotency_key, headers={
                              "Subject": parsing.reply_subject(parsing.header(parent,
                                                                              "Subject")),
                              "In-Reply-To": f"<{parent_id}>",
                              "References": " ".join(f"<{r}>" for r in references)})

    def _send_new(self, *, text: str, uri: str, idempotency_key: str) -> SentMessage:
        found = mailto_parts(uri)
        if found is None:
            raise PermanentError("The reply's email address is not valid, so Townhall does "
                                 "not know where to send it.")
        address, subject = found
        subject = (_one_line(subject) or _one_line(str(self.config.get("from_name") or ""))
                   or "Reply")
        return self._send(text=text, to=address, address=address,
                          idempotency_key=idempotency_key, headers={"Subject": subject})

    def _send(self, *, text: str, to: str, address: str, idempotency_key: str,
              headers: dict[str, str]) -> SentMessage:
        """Send `text` to `address` (and the copy), with a Message-ID made from the key."""
        from_address = self.from_address
        now = datetime.now(UTC)
        pmid = reply_message_id(idempotency_key, from_address)
        # 7-bit transfer encoding (quoted-printable for Welsh letters), so no server on
        # the way needs 8BITMIME.
        message = EmailMessage(policy=SEVEN_BIT)
        message["From"] = formataddr((self._display_name(idempotency_key), from_address))
        message["To"] = to
        message["Subject"] = headers.pop("Subject")
        message["Date"] = format_datetime(now)
        message["Message-ID"] = f"<{pmid}>"
        for name, value in headers.items():
            message[name] = value
        message.set_content(text)
        copy = self.copy_to()
        recipients = [address, *([copy] if copy and copy.lower() != address.lower() else [])]
        self._client().send(message, sender=from_address, recipients=recipients,
                            required=address)
        return SentMessage(platform_message_id=pmid, sent_at=now)

    def _recipient(self, parent: EmailMessage) -> tuple[str, str]:
        for field in ("Reply-To", "From"):
            pairs = [p for p in getaddresses([parsing.header(parent, field)]) if "@" in p[1]]
            if pairs:
                return pairs[0]
        return "", ""

    def _display_name(self, idempotency_key: str) -> str:
        officer = _one_line(reply_author_name(channel_handle=self.handle,
                                              idempotency_key=idempotency_key))
        council = _one_line(str(self.config.get("from_name") or ""))
        if officer and council:
            return f"{officer} ({council})"
        return officer or council

    def find_sent(self, *, text: str, thread_id: str, in_reply_to: str, idempotency_key: str,
                  since: datetime) -> SentMessage | None:
        """The reply's own Message-ID in the mailbox: the server's copy (copy_to) in the
        folder, or the Sent folder where the provider files what it sends.

        The copy travels through the mail server like any email, so the folders are
        searched again for up to `copy_wait` seconds (default 10) before the reply is
        taken as not sent.
        """
        pmid = reply_message_id(idempotency_key, self.from_address)
        try:
            wait = float(self.config.get("copy_wait", COPY_WAIT))
        except (TypeError, ValueError):
            raise NotConfigured("The 'copy_wait' setting must be a number of seconds.") from None
        deadline = time.monotonic() + wait
        with self._mailbox() as box:
            folders = [self.folder]
            if self.sent_folder != self.folder and box.has_folder(self.sent_folder):
                folders.append(self.sent_folder)
            while True:
                for folder in folders:
                    found = self._find(box, folder, pmid)
                    if found is not None:
                        return SentMessage(platform_message_id=pmid,
                                           sent_at=parsing.sent_at(found, None))
                if time.monotonic() >= deadline:
                    return None
                time.sleep(COPY_POLL)

    def fetch_profile(self, author: str) -> Profile:
        """An email address has no profile to fetch; the address is the handle."""
        return Profile(handle=author)
