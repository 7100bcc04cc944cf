"""What a visitor's browser may send, checked field by field with a plain-words error."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

MAX_TEXT = 4000
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# The UK postcode shape (outward code, space optional, inward code), upper or lower case.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.IGNORECASE)
# How far the browser's clock may be from ours before its time is ignored.
CLOCK_PAST = timedelta(days=2)
CLOCK_FUTURE = timedelta(minutes=10)


class PayloadError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ChatMessage:
    client_id: str
    text: str
    sent_at: datetime | None
    name: str = ""
    email: str = ""
    postcode: str = ""

    def full_text(self) -> str:
        """The message as officers read it: the form's details below the words."""
        details = [(_("Name"), self.name), (_("Email"), self.email),
                   (_("Postcode"), self.postcode)]
        lines = [f"{label}: {value}" for label, value in details if value]
        return self.text + ("\n\n" + "\n".join(lines) if lines else "")


def _field(data: dict[str, Any], name: str, limit: int) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PayloadError(name, _("'%(name)s' must be text.") % {"name": name})
    value = value.strip()
    if "\x00" in value:
        raise PayloadError(name, _("'%(name)s' contains a character that cannot be stored.")
                           % {"name": name})
    if len(value) > limit:
        raise PayloadError(name, _("'%(name)s' must be %(limit)d characters or fewer.")
                           % {"name": name, "limit": limit})
    return value


def _sent_at(raw: Any, now: datetime) -> datetime | None:
    """The browser's send time, if it is plausible. The same retry sends the same time,
    so ingest sees a redelivery, not a different message."""
    if not isinstance(raw, str):
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None or not now - CLOCK_PAST <= value <= now + CLOCK_FUTURE:
        return None
    return value


def parse_message(data: Any, *, now: datetime, form: bool) -> ChatMessage:
    if not isinstance(data, dict):
        raise PayloadError("", _("Send a JSON object."))
    client_id = data.get("id")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise PayloadError("id", _("'id' must be 8 to 64 letters, digits, - or _, made "
                                   "once per message."))
    text = _field(data, "text", MAX_TEXT)
    if not text:
        raise PayloadError("text", _("Enter your message."))
    name = _field(data, "name", 200)
    email = _field(data, "email", 254)
    postcode = _field(data, "postcode", 10).upper()
    if form and not name:
        raise PayloadError("name", _("Enter your name."))
    if form and not email:
        raise PayloadError("email", _("Enter your email address."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise PayloadError("email", _("Enter an email address in the correct format, "
                                          "like name@example.com.")) from None
    if postcode and not POSTCODE.match(postcode):
        raise PayloadError("postcode", _("Enter a real postcode, like AC1 2BD, or leave "
                                         "it blank."))
    return ChatMessage(client_id=client_id, text=text, sent_at=_sent_at(data.get("sent_at"), now),
                       name=name, email=email, postcode=postcode)


def origin_clean(raw: str) -> str:
    """A website's origin as a browser sends it: scheme://host[:port], no path."""
    value = raw.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Enter each website as its address, like "
                                "https://www.example.gov.uk"))
    if parts.path or parts.query or parts.fragment or parts.username:
        raise ValidationError(_("Enter %(value)s without a path: just https:// and the "
                                "website's name, like https://www.example.gov.uk")
                              % {"value": value})
    host = parts.hostname.lower()
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        raise ValidationError(_("%(value)s has a port that is not a number")
                              % {"value": value}) from None
    return f"{parts.scheme}://{host}{port}"
