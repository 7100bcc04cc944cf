from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from townhall.accounts.models import Membership
from townhall.accounts.selectors import membership_for_token


class AuthedRequest(HttpRequest):
    """A request that passed TokenAuth: `auth` is the caller's membership."""

    auth: Membership


class TokenAuth(HttpBearer):
    """`Authorization: Bearer th_...`; the membership becomes `request.auth`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return membership_for_token(raw=token)
