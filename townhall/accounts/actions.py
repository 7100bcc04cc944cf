"""Changes to who may do what: roles and whether an account can sign in.

People are deactivated, never deleted, so the audit trail keeps naming them.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from townhall.accounts.models import Membership, Role
from townhall.core.actions import BaseAction


class MembershipAction(BaseAction[Membership]):
    """An admin of the council acting on one member of the same council."""

    def __init__(self, *, membership: Membership, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.membership = membership

    def _actor_membership(self) -> Membership | None:
        if not getattr(self.actor, "is_authenticated", False):
            return None
        return Membership.objects.filter(user=self.actor, council=self.council).first()

    def check(self) -> None:
        actor = self._actor_membership()
        if actor is None or not actor.is_admin:
            raise PermissionDenied(_("Only an administrator can change people's accounts."))
        if self.membership.council_id != self.council.pk:
            raise PermissionDenied(_("This person is not a member of your council."))

    def _check_not_shared(self) -> None:
        # An account is shared by all its memberships, so one council must not be
        # able to lock a person out of another, or let them back into it.
        if Membership.objects.filter(user_id=self.membership.user_id).exclude(
            council=self.council
        ).exists():
            raise PermissionDenied(
                _("This account is also used by another council, so it can only be "
                  "changed by your Townhall support team.")
            )

    def _would_leave_no_admin(self) -> bool:
        """True if this member is the council's last active administrator."""
        if self.membership.role != Role.ADMIN:
            return False
        others = Membership.objects.filter(
            council=self.council, role=Role.ADMIN, user__is_active=True
        ).exclude(pk=self.membership.pk)
        return not others.exists()


class ChangeRole(MembershipAction):
    audit_action = "user.role_changed"

    def __init__(self, *, role: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.role = Role(role)

    def check(self) -> None:
        super().check()
        if self.role != Role.ADMIN and self._would_leave_no_admin():
            raise PermissionDenied(
                _("This is the council's only administrator. Make someone else an "
                  "administrator first.")
            )

    def _execute(self) -> tuple[Membership, Any, dict[str, Any]]:
        old = self.membership.role
        self.membership.role = self.role
        self.membership.save(update_fields=["role"])
        return self.membership, self.membership.user, {"from": str(old), "to": str(self.role)}


class DeactivateUser(MembershipAction):
    """Stop someone signing in. Their sessions and API tokens stop working at once,
    because Django and the token check both refuse an inactive account."""

    audit_action = "user.deactivated"

    def check(self) -> None:
        super().check()
        if self.membership.user_id == getattr(self.actor, "pk", None):
            raise PermissionDenied(_("You cannot deactivate your own account."))
        if self._would_leave_no_admin():
            raise PermissionDenied(
                _("This is the council's only administrator. Make someone else an "
                  "administrator first.")
            )
        self._check_not_shared()

    def _execute(self) -> tuple[Membership, Any, dict[str, Any]]:
        user = self.membership.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        return self.membership, user, {"username": user.get_username()}


class ReactivateUser(MembershipAction):
    audit_action = "user.reactivated"

    def check(self) -> None:
        super().check()
        self._check_not_shared()

    def _execute(self) -> tuple[Membership, Any, dict[str, Any]]:
        user = self.membership.user
        user.is_active = True
        user.save(update_fields=["is_active"])
        return self.membership, user, {"username": user.get_username()}
