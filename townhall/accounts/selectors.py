from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from townhall.accounts.models import ApiToken, Membership, Team, hash_token
from townhall.core.models import Council


def membership_for_user(*, user_id: int) -> Membership | None:
    return (
        Membership.objects.select_related("council", "user")
        .filter(user_id=user_id)
        .order_by("id")
        .first()
    )


def membership_for_token(*, raw: str) -> Membership | None:
    token = (
        ApiToken.objects.select_related("membership__council", "membership__user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.membership.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.membership


def memberships_for_council(*, council: Council) -> QuerySet[Membership]:
    """Everyone in one council, with their teams, ordered by name."""
    return (
        Membership.objects.filter(council=council)
        .select_related("user")
        .prefetch_related("teams")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def membership_get(*, council: Council, membership_id: int) -> Membership:
    """One member of this council; another council's member is simply not found."""
    membership = memberships_for_council(council=council).filter(pk=membership_id).first()
    if membership is None:
        raise Http404("No such member of this council.")
    return membership


def teams_for_council(*, council: Council) -> QuerySet[Team]:
    return (
        Team.objects.filter(council=council)
        .annotate(member_count=Count("members"))
        .order_by("name")
    )


def team_get(*, council: Council, team_id: int) -> Team:
    team = Team.objects.filter(council=council, pk=team_id).prefetch_related(
        "members__user"
    ).first()
    if team is None:
        raise Http404("No such team in this council.")
    return team
