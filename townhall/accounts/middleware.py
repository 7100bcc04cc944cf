from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from townhall.accounts.selectors import membership_for_user

# Pages a signed-in person can always reach, whatever state their account is in.
_ALWAYS_OPEN = ("/logout/", "/static/", "/api/", "/ingest/", "/i18n/")


class CouncilMiddleware:
    """Attach the signed-in user's membership and council to the request.

    Every selector takes the council from here, never from a URL or form field, so a
    user cannot reach another council's data by editing a link. Someone with no
    council sees a page saying so; someone with a one-time password must replace it
    before they can do anything else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.council = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            membership = membership_for_user(user_id=request.user.pk)
            request.membership = membership  # type: ignore[attr-defined]
            request.council = membership.council if membership else None  # type: ignore[attr-defined]
            if not request.path.startswith(_ALWAYS_OPEN):
                if membership is None:
                    return render(request, "accounts/no_membership.html", status=403)
                password_url = reverse("accounts:password")
                if membership.must_change_password and request.path != password_url:
                    return redirect(password_url)
        return self.get_response(request)
