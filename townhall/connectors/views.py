"""Platform webhooks: /connectors/<platform>/<channel-key>/webhook.

GET answers the platform's subscription handshake; POST takes signed events, stores them
through ingest and answers 200 only once they are committed.
"""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from townhall.connectors.selectors import channel_for_platform_webhook
from townhall.connectors.services import webhook_receive

logger = logging.getLogger(__name__)


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    declared = request.META.get("CONTENT_LENGTH")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest, platform: str, key: str) -> HttpResponse:
    try:
        return _webhook(request, platform, key)
    except DatabaseError:
        logger.exception("Database unavailable while receiving a %s webhook.", platform)
        response = _error(503, "Townhall cannot store messages right now. Send again later.")
        response["Retry-After"] = "30"
        return response


def _webhook(request: HttpRequest, platform: str, key: str) -> HttpResponse:
    found = channel_for_platform_webhook(platform=platform, key=key)
    if found is None:
        return _error(404, "No active channel has this webhook address.")
    channel, connector = found
    if request.method == "GET":
        challenge = connector.handshake(request.GET)
        if challenge is None:
            return _error(403, connector.handshake_refusal)
        return HttpResponse(challenge, content_type=connector.handshake_content_type)
    limit = settings.TOWNHALL_MAX_BODY_BYTES
    body = _read_body(request, limit)
    if body is None:
        return _error(413, f"The body is larger than the limit of {limit:,} bytes.")
    if not connector.verify_webhook(request.headers, body):
        return _error(401, f"The {connector.signature_header} header is missing or does not "
                           "match the body.")
    summary = webhook_receive(channel=channel, connector=connector, body=body)
    return JsonResponse(summary, status=200)
