from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from townhall.accounts.selectors import membership_for_user


class CouncilMiddleware:
    """Attach the signed-in user's membership and council to the request.

    Every selector takes the council from here, never from a URL or form field, so a
    user cannot reach another council's data by editing a link.
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
        return self.get_response(request)
