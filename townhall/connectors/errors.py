"""Connector errors, split the way a retry loop needs them.

A retriable error (rate limit, server error, timeout, lost connection) is worth trying
again later; a permanent one (any other 4xx, bad credentials, a deleted post) is not,
and its text is shown to the officer. Neither ever carries a secret.
"""


class ConnectorError(Exception):
    """Something went wrong talking to a platform; the text is plain words for a person."""


class RetriableError(ConnectorError):
    def __init__(self, message: str, *, retry_after: float | None = None,
                 maybe_sent: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        # Seconds the platform asked us to wait, when it said.
        self.retry_after = retry_after
        # True when the request may have reached the platform before it failed (a
        # timeout or a 5xx): the sender must look for the reply before sending again.
        self.maybe_sent = maybe_sent
        self.status = status


class PermanentError(ConnectorError):
    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NotConfigured(PermanentError):
    """A setting or secret the connector needs is missing."""


class UnknownPlatform(LookupError):
    """No connector is registered for the platform."""
