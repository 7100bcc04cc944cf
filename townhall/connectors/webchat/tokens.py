"""Per-visitor tokens: the session's public id, signed for one channel.

Signed with Django's signing (HMAC-SHA256 over SECRET_KEY, salted with the channel key),
so a token for one channel is worthless on another, a forged one is refused without a
database read, and rotating SECRET_KEY (with SECRET_KEY_FALLBACKS) retires them all.
"""

from django.core import signing

from townhall.connectors.models import Channel


def _signer(channel: Channel) -> signing.Signer:
    return signing.Signer(salt=f"townhall.webchat.session:{channel.key}", algorithm="sha256")


def token_for(*, channel: Channel, public_id: str) -> str:
    return _signer(channel).sign(public_id)


def public_id_from(*, channel: Channel, token: str) -> str | None:
    """The session id a token stands for, or None if it was not signed for this channel."""
    if not token or len(token) > 200:
        return None
    try:
        return _signer(channel).unsign(token)
    except signing.BadSignature:
        return None
