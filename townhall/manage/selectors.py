"""Reads of the council's audit trail, always scoped to one council."""

from django.db.models import QuerySet

from townhall.accounts.models import Membership
from townhall.core.models import AuditEvent, Council


def audit_events(
    *, council: Council, action: str = "", user_id: int | None = None
) -> QuerySet[AuditEvent]:
    queryset = AuditEvent.objects.filter(council=council).select_related("actor")
    if action:
        queryset = queryset.filter(action=action)
    if user_id is not None:
        queryset = queryset.filter(actor_id=user_id)
    return queryset.order_by("-at", "-id")


def audit_action_names(*, council: Council) -> list[str]:
    return list(
        AuditEvent.objects.filter(council=council)
        .order_by("action").values_list("action", flat=True).distinct()
    )


def audit_people(*, council: Council) -> list[tuple[int, str]]:
    """The council's members as (user id, name), to filter the trail by who acted."""
    rows = (
        Membership.objects.filter(council=council).select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    return [(m.user_id, m.user.get_full_name() or m.user.get_username()) for m in rows]
