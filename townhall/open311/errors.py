"""Errors from a back office, split the way a retry needs them.

Retriable: a timeout, a lost connection, 429 or a 5xx; worth trying again later.
Refused: any other 4xx, with the spec's error descriptions; trying again will not help.
The text is for an officer to read and never carries the API key.
"""


class Open311Error(Exception):
    """Talking to the back office went wrong; the text says what, in plain words."""


class Retriable(Open311Error):
    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Refused(Open311Error):
    def __init__(self, message: str, *, status: int | None = None,
                 errors: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.errors = errors or []


class NotConfigured(Refused):
    """The council has not set up its back office, or its API key is missing."""
