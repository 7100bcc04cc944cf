from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from townhall.core.models import AuditEvent, Council


def audit_record(
    *,
    council: Council,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: Any = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Add one audit event. Call it inside the transaction that makes the change."""
    user = actor if actor is not None and actor.is_authenticated else None
    label = actor_label or (user.get_username() if user is not None else "system")
    return AuditEvent.objects.create(
        council=council,
        actor=user,  # type: ignore[misc]
        actor_label=label,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
        ip_address=ip_address,
    )


@transaction.atomic
def council_create(*, slug: str, name: str, actor_label: str = "cli") -> Council:
    council = Council(slug=slug, name=name)
    council.full_clean()
    council.save()
    audit_record(council=council, actor=None, actor_label=actor_label,
                 action="council.created", obj=council, data={"slug": slug, "name": name})
    return council
