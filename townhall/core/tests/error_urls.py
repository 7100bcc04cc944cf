"""The real URLs plus two that fail on purpose, to show the 400 and 500 pages."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as real_urlpatterns


def bad_request(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("A test asked for a bad request.")


def server_error(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("A test asked for a server error: Traceback secret-detail")


urlpatterns = [
    path("test-errors/400/", bad_request),
    path("test-errors/500/", server_error),
    *real_urlpatterns,
]
