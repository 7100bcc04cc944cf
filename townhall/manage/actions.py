"""Exporting the audit trail is itself audited: who took a copy, of what, and when."""

import csv
import io
import json
from datetime import UTC
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from townhall.accounts.models import Membership
from townhall.core.actions import BaseAction
from townhall.manage.selectors import audit_events

CSV_HEADER = ["at_utc", "actor", "action", "object_type", "object_id", "ip_address", "data"]


def _cell(value: object) -> str:
    """Stop a spreadsheet treating a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class ExportAuditLog(BaseAction[str]):
    audit_action = "audit.exported"

    def __init__(self, *, action: str = "", user_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.action_filter = action
        self.user_id = user_id

    def check(self) -> None:
        user_id = getattr(self.actor, "pk", None)
        membership = (Membership.objects.filter(user_id=user_id, council=self.council).first()
                      if user_id is not None else None)
        if membership is None or not membership.is_admin:
            raise PermissionDenied(_("Only an administrator can export the audit log."))

    def _execute(self) -> tuple[str, Any, dict[str, Any]]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_HEADER)
        rows = 0
        for event in audit_events(council=self.council, action=self.action_filter,
                                  user_id=self.user_id).iterator():
            writer.writerow([_cell(v) for v in (
                event.at.astimezone(UTC).isoformat(), event.actor_label, event.action,
                event.object_type, event.object_id, event.ip_address or "",
                json.dumps(event.data, sort_keys=True, ensure_ascii=False),
            )])
            rows += 1
        data = {"filters": {"action": self.action_filter, "user_id": self.user_id},
                "rows": rows}
        return buffer.getvalue(), None, data
