"""GeoReport v2 under /open311/v2/, in JSON and XML (the suffix chooses).

Townhall serves many councils, so `jurisdiction_id` (the council's slug) is required
where the spec makes it so for such servers. Reading requests needs an API key too,
unlike the spec's default: the descriptions are residents' own words, and only the
systems a council gave a key to should read them. A key only ever sees its own council.
"""

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from townhall.core.models import Council
from townhall.open311 import server
from townhall.open311.client import parse_datetime, w3c
from townhall.open311.formats import CONTENT_TYPES, render
from townhall.open311.models import ApiKey, Submission
from townhall.triage.models import Category

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-03-01T00:00:00Z"


def respond(fmt: str, root: str, value: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(render(fmt, root, value), status=status,
                        content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, found: list[tuple[int, str]]) -> HttpResponse:
    return respond(fmt, "errors", [{"code": code, "description": text} for code, text in found],
                   status=status)


def _jurisdiction(request: HttpRequest, fmt: str) -> Council | HttpResponse:
    slug = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "")
    if not slug.strip():
        return errors(fmt, 400, [(400, "jurisdiction_id was not provided.")])
    council = Council.objects.filter(slug=slug.strip()).first()
    if council is None:
        return errors(fmt, 404, [(404, f"jurisdiction_id {slug.strip()!r} was not found.")])
    return council


def _keyed(request: HttpRequest, fmt: str, data: dict[str, str],
           action: str) -> ApiKey | HttpResponse:
    """The API key's council, checked against jurisdiction_id if one was sent."""
    key = server.api_key_check(raw=(data.get("api_key") or "").strip())
    if key is None:
        return errors(fmt, 403, [(403, f"Missing or invalid api_key -- can't proceed with "
                                       f"{action}.")])
    slug = (data.get("jurisdiction_id") or "").strip()
    if slug and slug != key.council.slug:
        return errors(fmt, 404, [(404, f"jurisdiction_id {slug!r} was not found.")])
    return key


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    url = f"{settings.TOWNHALL_BASE_URL}/open311/v2"
    return respond(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": "Contact the council that gave you this address.",
        "key_service": "Ask the council's Townhall administrator for an API key.",
        "endpoints": [{"specification": SPEC, "url": url, "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    })


def _service(category: Category) -> dict[str, Any]:
    return {"service_code": category.code, "service_name": category.name,
            "description": category.description, "metadata": False, "type": "realtime",
            "keywords": "", "group": category.group}


def services(request: HttpRequest, fmt: str) -> HttpResponse:
    council = _jurisdiction(request, fmt)
    if isinstance(council, HttpResponse):
        return council
    categories = Category.objects.filter(council=council, is_active=True).order_by("group", "name")
    return respond(fmt, "services", [_service(c) for c in categories])


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    council = _jurisdiction(request, fmt)
    if isinstance(council, HttpResponse):
        return council
    if not Category.objects.filter(council=council, code=code, is_active=True).exists():
        return errors(fmt, 404, [(404, f"service_code {code!r} was not found.")])
    return respond(fmt, "service_definition", {"service_code": code, "attributes": []})


def _as_request(submission: Submission) -> dict[str, Any]:
    conversation = server.submission_conversation(submission)
    closed = conversation is not None and conversation.status == "closed"
    updated = (conversation.closed_at or conversation.last_message_at) if conversation else None
    return {
        "service_request_id": conversation.reference if conversation else None,
        "status": "closed" if closed else "open",
        "status_notes": getattr(submission, "notes", None) or None,
        "service_name": submission.category.name if submission.category else None,
        "service_code": submission.service_code,
        "description": submission.description or None,
        "agency_responsible": submission.council.name,
        "service_notice": None,
        "requested_datetime": w3c(submission.requested_at),
        "updated_datetime": w3c(updated or submission.requested_at),
        "expected_datetime": None,
        "address": submission.address_string or None,
        "address_id": submission.address_id or None,
        "zipcode": submission.postcode or None,
        "lat": submission.lat,
        "long": submission.long,
        "media_url": submission.media_url or None,
    }


def _body(request: HttpRequest) -> dict[str, str]:
    """The spec posts form fields; a JSON object with the same names is accepted too."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return {}
        return {str(k): "" if v is None else str(v) for k, v in data.items()} if isinstance(
            data, dict) else {}
    return {k: request.POST.get(k, "") for k in request.POST}


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = _body(request)
    key = _keyed(request, fmt, data, "create_request")
    if isinstance(key, HttpResponse):
        return key
    new, problems = server.request_validate(council=key.council, data=data)
    if new is None:
        return errors(fmt, problems.status, problems.found)
    try:
        submission = server.submission_create(council=key.council, api_key=key, new=new)
    except DatabaseError:
        return errors(fmt, 400, [(503, "Townhall cannot store reports right now. Send it again "
                                       "later.")])
    conversation = submission.conversation
    notice = "Received. An officer will look at it."
    if conversation is not None:
        answer = {"service_request_id": conversation.reference, "service_notice": notice,
                  "account_id": None}
    else:
        answer = {"token": submission.token, "service_notice": notice, "account_id": None}
    return respond(fmt, "service_requests", [answer])


def _dates(data: dict[str, str], fmt: str) -> tuple[datetime | None, datetime | None] | HttpResponse:
    found: list[datetime | None] = []
    for name in ("start_date", "end_date"):
        raw = (data.get(name) or "").strip()
        when = parse_datetime(raw) if raw else None
        if raw and when is None:
            return errors(fmt, 400, [(400, f"{name} must be a w3 datetime with a zone, like "
                                           "2026-03-01T00:00:00Z.")])
        found.append(when)
    start, end = found
    if start and end and (end < start or end - start > server.MAX_SPAN):
        return errors(fmt, 400, [(400, "start_date must come before end_date, at most 90 "
                                       "days apart.")])
    return start, end


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    data = {k: request.GET.get(k, "") for k in request.GET}
    key = _keyed(request, fmt, data, "get_service_requests")
    if isinstance(key, HttpResponse):
        return key
    dates = _dates(data, fmt)
    if isinstance(dates, HttpResponse):
        return dates

    def split(name: str) -> list[str]:
        return [v.strip() for v in (data.get(name) or "").split(",") if v.strip()]

    statuses = split("status")
    if any(s not in ("open", "closed") for s in statuses):
        return errors(fmt, 400, [(400, "status must be open, closed or both.")])
    query = server.Query(references=split("service_request_id"),
                         service_codes=split("service_code"), start=dates[0], end=dates[1],
                         statuses=statuses)
    found = server.submissions_query(council=key.council, query=query)
    return respond(fmt, "service_requests", [_as_request(s) for s in found])


@csrf_exempt
def requests_(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        return errors(fmt, 400, [(405, "Use GET or POST.")])
    return _list(request, fmt)


def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    data = {k: request.GET.get(k, "") for k in request.GET}
    key = _keyed(request, fmt, data, "get_service_request")
    if isinstance(key, HttpResponse):
        return key
    submission = server.submission_by_reference(council=key.council, reference=request_id)
    if submission is None:
        return errors(fmt, 404, [(404, f"service_request_id {request_id!r} was not found.")])
    return respond(fmt, "service_requests", [_as_request(submission)])


def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    council = _jurisdiction(request, fmt)
    if isinstance(council, HttpResponse):
        return council
    submission = server.submission_by_token(council=council, token=token)
    if submission is None:
        return errors(fmt, 404, [(404, f"token {token!r} was not found.")])
    conversation = server.submission_conversation(submission)
    return respond(fmt, "service_requests", [{
        "service_request_id": conversation.reference if conversation else None,
        "token": submission.token}])


def not_found(request: HttpRequest, path: str) -> HttpResponse:
    fmt = "json" if path.endswith(".json") else "xml"
    return errors(fmt, 404, [(404, "There is no such GeoReport v2 method. See discovery.xml.")])
