"""Encryption at rest for secrets the council cannot keep in the environment.

A channel's webhook secret must be readable (HMAC needs the secret itself, not a
hash), so it is encrypted with a key from TOWNHALL_ENCRYPTION_KEY, or derived from
SECRET_KEY when that is not set.
"""

import base64
import os

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    explicit = os.environ.get("TOWNHALL_ENCRYPTION_KEY")
    if explicit:
        return Fernet(explicit.encode())
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"townhall-secrets", info=b"fernet"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError(
            "A stored secret could not be decrypted: the encryption key has changed."
        ) from None
