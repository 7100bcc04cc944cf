"""Platform webhooks: /connectors/<platform>/<channel-key>/webhook.

GET answers the platform's subscription handshake; POST checks the signature, commits the
raw body and answers 200; its items are parsed and stored after the answer (decision 508).
"""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from townhall.connectors.selectors import channel_for_platform_webhook
from townhall.connectors.webhooks import webhook_dispatch, webhook_store, webhook_summary_json

logger = logging.getLogger(__name__)


def json_error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def read_limited_body(request: HttpRequest, limit: int) -> bytes | None:
    """The body, or None when it is larger than `limit` bytes."""
    declared = request.META.get("CONTENT_LENGTH")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


def database_down_answer(what: str) -> JsonResponse:
    """A platform sends again after a 503, so nothing is lost while the database is down."""
    logger.exception("Database unavailable while receiving %s.", what)
    response = json_error(503, "Townhall cannot store messages right now. Send again later.")
    response["Retry-After"] = "30"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest, platform: str, key: str) -> HttpResponse:
    try:
        return _webhook(request, platform, key)
    except DatabaseError:
        return database_down_answer(f"a {platform} webhook")


def _webhook(request: HttpRequest, platform: str, key: str) -> HttpResponse:
    found = channel_for_platform_webhook(platform=platform, key=key)
    if found is None:
        return json_error(404, "No active channel has this webhook address.")
    channel, connector = found
    if request.method == "GET":
        challenge = connector.handshake(request.GET)
        if challenge is None:
            return json_error(403, connector.handshake_refusal)
        return HttpResponse(challenge, content_type=connector.handshake_content_type)
    limit = settings.TOWNHALL_MAX_BODY_BYTES
    body = read_limited_body(request, limit)
    if body is None:
        return json_error(413, f"The body is larger than the limit of {limit:,} bytes.")
    if not connector.verify_webhook(request.headers, body):
        return json_error(401, f"The {connector.signature_header} header is missing or does not "
                           "match the body.")
    batch = webhook_store(channel=channel, body=body)
    # Committed: from here on nothing the platform sent can be lost, so answer now.
    summary = webhook_dispatch(batch=batch)
    return JsonResponse({"received": True, **webhook_summary_json(summary)}, status=200)
