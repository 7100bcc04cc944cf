from django.utils import timezone

from townhall.accounts.models import ApiToken, Membership, hash_token


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
