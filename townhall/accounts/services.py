import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from townhall.accounts.models import ApiToken, Membership, Role, Team, hash_token
from townhall.core.models import Council
from townhall.core.services import audit_record


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
    """Create a user with a membership of one council, or update an existing one's."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.set_password(password)
    user.save()
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
