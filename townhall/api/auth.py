from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from townhall.accounts.selectors import membership_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer th_...`; the membership becomes `request.auth`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return membership_for_token(raw=token)
