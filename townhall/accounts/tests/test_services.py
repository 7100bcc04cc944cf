import pytest
from django.contrib.auth import authenticate

from townhall.accounts.models import Membership, Role
from townhall.accounts.services import (
    UsernameTaken,
    membership_set_teams,
    team_add,
    team_rename,
    team_set_members,
    user_invite,
    user_password_reset,
)
from townhall.core.models import AuditEvent


def test_it_invites_someone_with_a_one_time_password(council, dave, highways) -> None:
    member, password = user_invite(council=council, username="frank", first_name="Frank",
                                   last_name="Hughes", email="frank@example.invalid",
                                   role=Role.OFFICER, teams=[highways], by=dave.user)
    assert member.must_change_password
    assert list(member.teams.all()) == [highways]
    assert authenticate(username="frank", password=password) == member.user
    event = AuditEvent.objects.get(action="user.invited")
    assert password not in str(event.data) and event.actor == dave.user


def test_it_will_not_invite_over_an_existing_account(council, dave, eve) -> None:
    with pytest.raises(UsernameTaken):
        user_invite(council=council, username="EVE", first_name="E", last_name="V", email="",
                    role=Role.OFFICER, teams=[], by=dave.user)


def test_it_resets_a_password_to_a_new_one_time_one(dave, alice) -> None:
    password = user_password_reset(membership=alice, by=dave.user)
    assert authenticate(username="alice", password=password) == alice.user
    assert Membership.objects.get(pk=alice.pk).must_change_password


def test_it_manages_teams_and_audits_each_change(council, dave, alice, carol) -> None:
    team = team_add(council=council, name="Waste and Recycling", by=dave.user)
    assert team.code == "waste-and-recycling"
    assert team_add(council=council, name="Waste and recycling", by=dave.user).code == (
        "waste-and-recycling-2")
    team_rename(team=team, name="Waste", by=dave.user)
    team_set_members(team=team, memberships=[alice, carol], by=dave.user)
    assert set(team.members.all()) == {alice, carol}
    membership_set_teams(membership=alice, teams=[], by=dave.user)
    actions = set(AuditEvent.objects.filter(actor=dave.user).values_list("action", flat=True))
    assert {"team.created", "team.renamed", "team.members_changed",
            "user.teams_changed"} <= actions


def test_it_refuses_another_councils_member_in_a_team(council, dave, eve) -> None:
    team = team_add(council=council, name="Parks", by=dave.user)
    with pytest.raises(ValueError):
        team_set_members(team=team, memberships=[eve], by=dave.user)
