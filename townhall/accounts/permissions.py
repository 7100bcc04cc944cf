"""Who may open which page: one decorator, so no view forgets the check."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from townhall.accounts.models import Role

View = Callable[..., HttpResponse]


def role_required(role: str) -> Callable[[View], View]:
    """Sign-in first, then a membership with at least `role`, else the 403 page."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None or not membership.has_role(role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


admin_required = role_required(Role.ADMIN)
supervisor_required = role_required(Role.SUPERVISOR)


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, as the web server saw it.

    Behind a proxy, the proxy must set REMOTE_ADDR (for example gunicorn's
    --forwarded-allow-ips); a client-supplied X-Forwarded-For is not trusted.
    """
    return request.META.get("REMOTE_ADDR") or None
