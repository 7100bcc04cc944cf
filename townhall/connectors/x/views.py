"""X's shared webhook address: /connectors/x/app/<app key>/webhook (x/app_webhook.py).

GET answers X's CRC check with the app's API key secret; POST checks the signature,
commits the body for the channel whose X account it names (or keeps it as rejected),
answers 200, and hands the batch on as every platform webhook does (decision 508).
"""


from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from townhall.connectors.views import database_down_answer, json_error, read_limited_body
from townhall.connectors.webhooks import webhook_dispatch, webhook_summary_json
from townhall.connectors.x.app_webhook import (
    SIGNATURE_HEADER,
    x_app_crc,
    x_app_members,
    x_app_signed,
    x_app_webhook_store,
)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def x_app_webhook(request: HttpRequest, key: str) -> HttpResponse:
    try:
        return _x_app_webhook(request, key)
    except DatabaseError:
        return database_down_answer("an X webhook")


def _x_app_webhook(request: HttpRequest, key: str) -> HttpResponse:
    members = x_app_members(key=key)
    if not members:
        return json_error(404, "No active X channel has this webhook address.")
    if request.method == "GET":
        answer = x_app_crc(members=members, query=request.GET)
        if answer is None:
            return json_error(403, "The CRC check has no crc_token, or the X channels on this "
                               "address do not hold one API key secret to answer it with.")
        return HttpResponse(answer, content_type="application/json")
    limit = settings.TOWNHALL_MAX_BODY_BYTES
    body = read_limited_body(request, limit)
    if body is None:
        return json_error(413, f"The body is larger than the limit of {limit:,} bytes.")
    signed = x_app_signed(members=members, headers=request.headers, body=body)
    if not signed:
        return json_error(401, f"The {SIGNATURE_HEADER} header is missing or does not match "
                           "the body.")
    received = x_app_webhook_store(members=members, signed=signed, body=body)
    if received.batch is None:
        return JsonResponse({"received": True, "rejected": [received.rejected]})
    # Committed: from here on nothing X sent can be lost, so answer now.
    summary = webhook_dispatch(batch=received.batch)
    return JsonResponse({"received": True, **webhook_summary_json(summary)})
