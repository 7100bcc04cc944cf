"""The generic signed webhook: POST /ingest/<channel-key>."""

import json
import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from townhall.core.lib.signatures import signature_valid
from townhall.ingest.items import ItemError, parse_item
from townhall.ingest.models import Source
from townhall.ingest.selectors import channel_for_webhook
from townhall.ingest.services import raw_event_reject, raw_events_store
from townhall.ingest.tasks import process_raw_events

logger = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Townhall-Signature"


def _error(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    """Read at most `limit` bytes; None means the body is larger than that."""
    declared = request.META.get("CONTENT_LENGTH")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, key: str) -> JsonResponse:
    try:
        return _webhook(request, key)
    except DatabaseError:
        logger.exception("Database unavailable while receiving a webhook.")
        response = _error(503, "Townhall cannot store messages right now. Send again later.")
        response["Retry-After"] = "30"
        return response


def _webhook(request: HttpRequest, key: str) -> JsonResponse:
    channel = channel_for_webhook(key=key)
    if channel is None:
        return _error(404, "No active channel has this webhook address.")
    limit = settings.TOWNHALL_MAX_BODY_BYTES
    body = _read_body(request, limit)
    if body is None:
        return _error(413, f"The body is larger than the limit of {limit:,} bytes. "
                           "Send large batches in smaller parts.")
    if not signature_valid(channel.webhook_secret, body, request.headers.get(SIGNATURE_HEADER)):
        return _error(401, f"The {SIGNATURE_HEADER} header is missing or does not match the "
                           "body. Sign the raw body with HMAC-SHA256 and the channel's secret.")
    now = timezone.now()
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        text = body.decode("utf-8", "replace")
        message = f"The body is not valid UTF-8 JSON: {error}."
        raw_event_reject(council=channel.council, channel=channel, source=Source.WEBHOOK,
                         body=text, error=message, at=now)
        return _error(400, message)

    entries = data["messages"] if isinstance(data, dict) and "messages" in data else [data]
    if not isinstance(entries, list):
        return _error(400, "'messages' must be a list of message objects.")
    items, rejected = [], []
    for index, entry in enumerate(entries):
        if isinstance(entry, dict):
            entry = {**entry, "platform": channel.platform, "channel": channel.handle}
        try:
            items.append(parse_item(entry, platform=channel.platform, channel=channel.handle))
        except ItemError as error:
            rejected.append({"index": index, "error": str(error)})
            raw_event_reject(council=channel.council, channel=channel, source=Source.WEBHOOK,
                             body=json.dumps(entry, ensure_ascii=False), error=str(error),
                             at=now)
    pending, result = raw_events_store(
        council=channel.council, items=items, source=Source.WEBHOOK, channel=channel
    )
    # The raw events are committed now; turning them into messages may happen later.
    if pending:
        process_raw_events.delay([r.pk for r in pending])
    summary = {"accepted": len(pending) + result.conflicts, "duplicates": result.duplicates,
               "conflicts": result.conflicts, "rejected": rejected}
    if rejected and not items:
        return JsonResponse({"error": rejected[0]["error"], **summary}, status=400)
    return JsonResponse(summary, status=202)
