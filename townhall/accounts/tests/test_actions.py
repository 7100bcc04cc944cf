import pytest
from django.core.exceptions import PermissionDenied

from townhall.accounts.actions import ChangeRole, DeactivateUser, ReactivateUser
from townhall.accounts.models import Membership, Role
from townhall.accounts.selectors import membership_for_token
from townhall.accounts.services import api_token_create
from townhall.core.models import AuditEvent


def test_it_changes_a_role_and_audits_it(council, dave, alice) -> None:
    ChangeRole(council=council, actor=dave.user, membership=alice, role=Role.SUPERVISOR).execute()
    assert Membership.objects.get(pk=alice.pk).role == Role.SUPERVISOR
    event = AuditEvent.objects.get(action="user.role_changed")
    assert event.data == {"from": "officer", "to": "supervisor"} and event.actor == dave.user


def test_it_refuses_a_role_change_by_a_supervisor(council, bob, alice) -> None:
    with pytest.raises(PermissionDenied):
        ChangeRole(council=council, actor=bob.user, membership=alice, role=Role.ADMIN).execute()


def test_it_keeps_at_least_one_administrator(council, dave) -> None:
    with pytest.raises(PermissionDenied, match="only administrator"):
        ChangeRole(council=council, actor=dave.user, membership=dave, role=Role.OFFICER).execute()


def test_it_refuses_to_act_on_another_councils_member(council, dave, eve) -> None:
    with pytest.raises(PermissionDenied):
        DeactivateUser(council=council, actor=dave.user, membership=eve).execute()


def test_it_deactivates_without_deleting_and_stops_api_tokens(council, dave, alice) -> None:
    _, raw = api_token_create(membership=alice, name="script")
    DeactivateUser(council=council, actor=dave.user, membership=alice).execute()
    alice.user.refresh_from_db()
    assert alice.user.is_active is False
    assert Membership.objects.filter(pk=alice.pk).exists()
    assert membership_for_token(raw=raw) is None
    assert AuditEvent.objects.filter(action="user.deactivated", actor=dave.user).exists()
    ReactivateUser(council=council, actor=dave.user, membership=alice).execute()
    alice.user.refresh_from_db()
    assert alice.user.is_active is True


def test_it_will_not_let_an_admin_deactivate_themselves(council, dave) -> None:
    with pytest.raises(PermissionDenied):
        DeactivateUser(council=council, actor=dave.user, membership=dave).execute()


def test_it_will_not_lock_someone_out_of_another_council(council, other_council, dave,
                                                         alice) -> None:
    Membership.objects.create(user=alice.user, council=other_council)
    with pytest.raises(PermissionDenied, match="another council"):
        DeactivateUser(council=council, actor=dave.user, membership=alice).execute()
