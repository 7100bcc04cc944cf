"""Remove anything that looks like a credential from text bound for a log or a record.

Connector errors are written never to hold a secret, but a scheduled task can fail
anywhere: a database driver, a mail server, a library that puts a URL in its message.
Error text that is kept or logged passes through here first, as a second line of defence.
"""

import re

HIDDEN = "[hidden]"

_PATTERNS = [
    # user:password@ in any URL (database, broker, SMTP).
    (re.compile(r"(?P<keep>[a-z][a-z0-9+.-]*://)[^\s/@]+@", re.IGNORECASE), rf"\g<keep>{HIDDEN}@"),
    # Authorization headers.
    (re.compile(r"(?P<keep>\b(?:bearer|basic|token)\s+)[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE),
     rf"\g<keep>{HIDDEN}"),
    # name=value and "name": "value" pairs whose name says what they are.
    (re.compile(r"(?P<keep>\b[\w-]*(?:token|secret|password|passwd|api[_-]?key|access[_-]?key|"
                r"signature)[\w-]*[\"']?\s*[=:]\s*[\"']?)[^\s\"'&,;}]+", re.IGNORECASE),
     rf"\g<keep>{HIDDEN}"),
]


def redact(text: str, *, secrets: list[str] | tuple[str, ...] = ()) -> str:
    """`text` with credentials, and each of `secrets` wherever it appears, hidden."""
    for secret in sorted((s for s in secrets if len(s) >= 6), key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
