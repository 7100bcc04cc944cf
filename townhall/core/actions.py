"""Action classes for policy-bearing changes (approve, publish, send, erase, export).

The web page, the API and the command line all go through the same action, so a
permission check and an audit event can never be forgotten by one of them.
"""

from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction

from townhall.core.models import Council
from townhall.core.services import audit_record

T = TypeVar("T")


class BaseAction(Generic[T]):
    """Subclasses set `audit_action` and implement `check()` and `_execute()`."""

    audit_action: str = ""

    def __init__(self, *, council: Council, actor: Any, ip_address: str | None = None) -> None:
        self.council = council
        self.actor = actor
        self.ip_address = ip_address

    def check(self) -> None:
        """Raise PermissionDenied if the actor may not do this."""
        raise NotImplementedError

    def _execute(self) -> tuple[T, Any, dict[str, Any]]:
        """Make the change; return (result, audited object, audit data)."""
        raise NotImplementedError

    def execute(self) -> T:
        self.check()
        with transaction.atomic():
            result, obj, data = self._execute()
            audit_record(council=self.council, actor=self.actor, action=self.audit_action,
                         obj=obj, data=data, ip_address=self.ip_address)
        return result


__all__ = ["BaseAction", "PermissionDenied"]
