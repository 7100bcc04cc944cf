"""Error pages in plain English. None of them shows a stack trace.

The 500 page is rendered without the request context: whatever failed (often the
database) must not be touched again while telling the person about it.
"""

from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Only PermissionDenied messages written for people (gettext) are shown; Django's own
    # are empty, and the template then gives the general explanation.
    reason = str(exception) if exception is not None and exception.args else ""
    return HttpResponseForbidden(
        loader.render_to_string("403.html", {"reason": reason}, request=request)
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(loader.render_to_string("500.html", {}))


def csrf_failure(request: HttpRequest, reason: str = "", **kwargs: Any) -> HttpResponse:
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))
