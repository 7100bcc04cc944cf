"""A reply that starts a new email rather than answering one in the mailbox.

Such a reply carries its address as a mailto: URI (RFC 6068) where an email reply
carries the Message-ID it answers. A Message-ID never starts with "mailto:", so the
two cannot be mistaken for each other.
"""

from urllib.parse import parse_qs, quote, unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

SCHEME = "mailto:"


def mailto(address: str, *, subject: str = "") -> str:
    """`mailto:sam@example.org?subject=...` for a valid address; ValueError otherwise."""
    try:
        validate_email(address)
    except ValidationError:
        raise ValueError(f"{address!r} is not an email address.") from None
    query = f"?subject={quote(subject, safe='')}" if subject else ""
    return f"{SCHEME}{quote(address, safe='@+')}{query}"


def mailto_parts(uri: str) -> tuple[str, str] | None:
    """(address, subject) from a mailto: URI; None if it is not one or not valid."""
    if not uri.lower().startswith(SCHEME):
        return None
    parts = urlsplit(uri)
    address = unquote(parts.path)
    try:
        validate_email(address)
    except ValidationError:
        return None
    subject = parse_qs(parts.query).get("subject", [""])[0]
    return address, subject


def is_mailto(uri: str) -> bool:
    return uri.lower().startswith(SCHEME)
