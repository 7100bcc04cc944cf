"""X's webhook security: the CRC answer and the event signature.

Both are HMAC-SHA256 keyed with the app's consumer secret and written as
`sha256=<base64>`. Base64, unlike hex, is case-sensitive: `a` and `A` are different
bytes, so a signature is compared exactly as sent, never case-folded.
"""

import base64
import binascii
import hashlib
import hmac


def _digest(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + base64.b64encode(_digest(secret, body)).decode()


def crc_response_token(secret: str, crc_token: str) -> str:
    """The `response_token` for a CRC check: pure computation, no network, no database."""
    return sign(secret, crc_token.encode())


def signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    """Check a `sha256=<base64>` header in constant time."""
    if not secret or not header:
        return False
    scheme, _, given = header.strip().partition("=")
    if scheme != "sha256" or not given:
        return False
    try:
        decoded = base64.b64decode(given, validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(_digest(secret, body), decoded)
