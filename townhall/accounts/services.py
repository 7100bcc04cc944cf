import logging
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AbstractBaseUser, AbstractUser, AnonymousUser
from django.db import transaction
from django.utils.text import slugify

from townhall.accounts.models import ApiToken, Membership, Role, Team, hash_token
from townhall.accounts.throttle import (
    Lock,
    login_failure_record,
    login_lock,
    login_success_clear,
    login_throttle_clear,
)
from townhall.core.models import Council
from townhall.core.services import audit_record

logger = logging.getLogger(__name__)

# Who made a change, as a view passes request.user.
Actor = AbstractBaseUser | AnonymousUser


@transaction.atomic
def team_create(*, council: Council, code: str, name: str) -> Team:
    team, _ = Team.objects.get_or_create(council=council, code=code, defaults={"name": name})
    return team


@transaction.atomic
def user_create(
    *,
    council: Council,
    username: str,
    password: str,
    role: str = Role.OFFICER,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    teams: list[Team] | None = None,
    actor_label: str = "cli",
) -> AbstractUser:
    """Create a user with a membership of one council, or update an existing one's.

    A new password also lifts any pause on signing in with the username: it was set
    by failures with the old password, and whoever set the new one expects it to work.
    """
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.set_password(password)
    user.save()
    login_throttle_clear(username=username)
    membership, _ = Membership.objects.update_or_create(
        user=user, council=council, defaults={"role": Role(role)}
    )
    if teams is not None:
        membership.teams.set(teams)
    audit_record(council=council, actor=None, actor_label=actor_label,
                 action="user.created" if created else "user.updated", obj=user,
                 data={"username": username, "role": str(role)})
    return user


@transaction.atomic
def api_token_create(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """Issue a token; the raw value is returned once and never stored."""
    raw = "th_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        membership=membership, name=name, prefix=raw[3:11], token_hash=hash_token(raw)
    )
    audit_record(council=membership.council, actor=membership.user,
                 action="api_token.created", obj=token, data={"name": name})
    return token, raw


# Sign-in, sign-out and passwords ------------------------------------------------------

ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def one_time_password_generate() -> str:
    """Four groups of four letters and digits, about 80 bits, with no 0/o or 1/l/i to misread."""
    groups = ["".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(4)) for _ in range(4)]
    return "-".join(groups)


class SignInOutcome(StrEnum):
    SIGNED_IN = "signed_in"
    FAILED = "failed"
    LOCKED = "locked"
    NO_MEMBERSHIP = "no_membership"


@dataclass(frozen=True)
class SignInResult:
    outcome: SignInOutcome
    user: AbstractBaseUser | None = None
    membership: Membership | None = None
    # With LOCKED: whose attempts are paused (the username's or the address's) and until when.
    lock: Lock | None = None


def _membership_of(user: AbstractBaseUser) -> Membership | None:
    return (
        Membership.objects.select_related("council")
        .filter(user_id=user.pk).order_by("id").first()
    )


def _audit_failure(
    *, username: str, reason: str, ip_address: str | None, locked: bool = False
) -> None:
    """Audit a failure against the council of the account it named, if there is one.

    An audit event belongs to a council, so a failure for a username nobody has can
    only go to the log. The password is never recorded, and neither is the username
    when it matches no account (it is often a password typed in the wrong box).
    """
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    membership = _membership_of(user) if user is not None else None
    if membership is None:
        logger.info("Sign-in failed for an unknown account from %s (%s, locked=%s).",
                    ip_address, reason, locked)
        return
    if reason == "bad_credentials" and not user.is_active:  # type: ignore[union-attr]
        reason = "inactive_account"
    data: dict[str, object] = {"username": username, "reason": reason}
    if locked:
        data["locked"] = True
    audit_record(council=membership.council, actor=None, actor_label=username,
                 action="auth.sign_in_failed", obj=user, data=data, ip_address=ip_address)


@transaction.atomic
def sign_in_attempt(*, username: str, password: str, ip_address: str | None) -> SignInResult:
    """Check a username and password against the throttle and the database, and audit it.

    The caller starts the session only when the outcome is SIGNED_IN.
    """
    lock = login_lock(username=username, ip_address=ip_address)
    if lock is not None:
        # Logged, not audited: an attacker hammering a locked account must not be able
        # to fill the audit trail. The failure that set the lock was audited.
        logger.warning("Sign-in refused while locked (%s), from %s.", lock.kind, ip_address)
        return SignInResult(SignInOutcome.LOCKED, lock=lock)
    user = authenticate(username=username, password=password)
    if user is None:
        lock = login_failure_record(username=username, ip_address=ip_address)
        _audit_failure(username=username, reason="bad_credentials", ip_address=ip_address,
                       locked=lock is not None)
        if lock is not None:
            return SignInResult(SignInOutcome.LOCKED, lock=lock)
        return SignInResult(SignInOutcome.FAILED)
    login_success_clear(username=username)
    membership = _membership_of(user)
    if membership is None:
        logger.info("Sign-in refused for %s: no council membership.", username)
        return SignInResult(SignInOutcome.NO_MEMBERSHIP, user=user)
    audit_record(council=membership.council, actor=user, action="auth.signed_in", obj=user,
                 ip_address=ip_address)
    return SignInResult(SignInOutcome.SIGNED_IN, user=user, membership=membership)


@transaction.atomic
def account_restore(*, membership: Membership, actor_label: str = "cli") -> list[str]:
    """Make an account usable with the password it was just given: active, and not
    asked to replace a one-time password. Returns what changed, in words."""
    user = membership.user
    changes = []
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        changes.append("reactivated")
    if membership.must_change_password:
        Membership.objects.filter(pk=membership.pk).update(must_change_password=False)
        membership.must_change_password = False
        changes.append("no longer asked to replace a one-time password")
    if changes:
        audit_record(council=membership.council, actor=None, actor_label=actor_label,
                     action="user.restored", obj=user,
                     data={"username": user.get_username(), "changes": changes})
    return changes


def sign_out_record(*, membership: Membership, ip_address: str | None) -> None:
    audit_record(council=membership.council, actor=membership.user, action="auth.signed_out",
                 obj=membership.user, ip_address=ip_address)


@transaction.atomic
def password_set_own(*, membership: Membership, password: str, ip_address: str | None) -> None:
    """The person chooses their own password, which ends any one-time password."""
    user = membership.user
    user.set_password(password)
    user.save(update_fields=["password"])
    Membership.objects.filter(pk=membership.pk).update(must_change_password=False)
    membership.must_change_password = False
    audit_record(council=membership.council, actor=user, action="auth.password_changed",
                 obj=user, ip_address=ip_address)


# People and teams, as an admin manages them --------------------------------------------


class UsernameTaken(ValueError):
    """Raised when an invitation names a username that already exists anywhere."""


@transaction.atomic
def user_invite(
    *,
    council: Council,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    teams: list[Team],
    by: Actor,
    ip_address: str | None = None,
) -> tuple[Membership, str]:
    """Create a person with a one-time password, which is returned once and never stored.

    Unlike user_create, this never touches an existing account: that account may belong
    to another council.
    """
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise UsernameTaken(username)
    password = one_time_password_generate()
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    user.save()
    membership = Membership.objects.create(user=user, council=council, role=Role(role),
                                           must_change_password=True)
    _teams_check(council=council, teams=teams)
    membership.teams.set(teams)
    audit_record(council=council, actor=by, action="user.invited", obj=user,
                 data={"username": username, "role": str(role),
                       "teams": sorted(t.name for t in teams)}, ip_address=ip_address)
    return membership, password


@transaction.atomic
def user_password_reset(
    *, membership: Membership, by: Actor, ip_address: str | None = None
) -> str:
    """Give someone a new one-time password, for when they have forgotten theirs.

    It lifts any pause on their sign-in too: the lockout page tells people to ask an
    administrator for a new password, which must then work at once."""
    password = one_time_password_generate()
    user = membership.user
    user.set_password(password)
    user.save(update_fields=["password"])
    login_throttle_clear(username=user.get_username())
    Membership.objects.filter(pk=membership.pk).update(must_change_password=True)
    audit_record(council=membership.council, actor=by, action="user.password_reset", obj=user,
                 ip_address=ip_address)
    return password


def _teams_check(*, council: Council, teams: list[Team]) -> None:
    if any(team.council_id != council.pk for team in teams):
        raise ValueError("A team from another council cannot be given to this one's members.")


@transaction.atomic
def membership_set_teams(
    *, membership: Membership, teams: list[Team], by: Actor,
    ip_address: str | None = None,
) -> Membership:
    _teams_check(council=membership.council, teams=teams)
    membership.teams.set(teams)
    audit_record(council=membership.council, actor=by, action="user.teams_changed",
                 obj=membership.user, data={"teams": sorted(t.name for t in teams)},
                 ip_address=ip_address)
    return membership


def _team_code(*, council: Council, name: str) -> str:
    base = slugify(name)[:40] or "team"
    code, n = base, 2
    while Team.objects.filter(council=council, code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def team_add(
    *, council: Council, name: str, by: Actor, ip_address: str | None = None
) -> Team:
    team = Team.objects.create(council=council, code=_team_code(council=council, name=name),
                               name=name)
    audit_record(council=council, actor=by, action="team.created", obj=team,
                 data={"name": name}, ip_address=ip_address)
    return team


@transaction.atomic
def team_rename(
    *, team: Team, name: str, by: Actor, ip_address: str | None = None
) -> Team:
    old = team.name
    team.name = name
    team.save(update_fields=["name"])
    audit_record(council=team.council, actor=by, action="team.renamed", obj=team,
                 data={"from": old, "to": name}, ip_address=ip_address)
    return team


@transaction.atomic
def team_set_members(
    *, team: Team, memberships: list[Membership], by: Actor,
    ip_address: str | None = None,
) -> Team:
    if any(m.council_id != team.council_id for m in memberships):
        raise ValueError("Only members of the team's own council can join it.")
    team.members.set(memberships)
    audit_record(council=team.council, actor=by, action="team.members_changed", obj=team,
                 data={"members": sorted(m.user.get_username() for m in memberships)},
                 ip_address=ip_address)
    return team
