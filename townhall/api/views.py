"""The JSON API: parse, call a service or selector, serialise."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Schema, Status

from townhall.api.auth import AuthedRequest, TokenAuth
from townhall.api.schemas import (
    ConversationDetail,
    ConversationOut,
    ErrorOut,
    IngestOut,
    MessageIn,
    MessageOut,
)
from townhall.api.serialisers import conversation_out, message_out
from townhall.inbox.selectors import (
    conversation_get,
    conversation_list,
    conversation_messages,
    message_get,
)
from townhall.ingest.items import ItemError
from townhall.ingest.models import Source
from townhall.ingest.services import UnknownChannel, message_submit

api = NinjaAPI(
    title="Townhall API",
    version="1",
    description="Read and create residents' messages and conversations. "
    "Authenticate with `Authorization: Bearer <token>` (see `townhall token`).",
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> Any:
    return api.create_response(request, {"error": str(exc) or "Not found."}, status=404)


class ListFilters(Schema):
    status: str | None = None
    limit: int = 50
    offset: int = 0


@api.get("/conversations", response=list[ConversationOut])
def list_conversations(request: AuthedRequest, filters: Query[ListFilters]) -> Any:
    limit = max(1, min(filters.limit, 200))
    rows = conversation_list(membership=request.auth, status=filters.status, limit=limit,
                             offset=max(filters.offset, 0))
    return [conversation_out(c) for c in rows]


@api.get("/conversations/{conversation_id}", response={200: ConversationDetail, 404: ErrorOut})
def get_conversation(request: AuthedRequest, conversation_id: int) -> Any:
    conversation = conversation_get(membership=request.auth, conversation_id=conversation_id)
    data = conversation_out(conversation)
    data["messages"] = [message_out(m) for m in conversation_messages(conversation=conversation)]
    return data


@api.get("/messages/{message_id}", response={200: MessageOut, 404: ErrorOut})
def get_message(request: AuthedRequest, message_id: int) -> Any:
    return message_out(message_get(membership=request.auth, message_id=message_id))


@api.post("/messages", response={201: IngestOut, 200: IngestOut, 400: ErrorOut})
def create_message(request: AuthedRequest, payload: MessageIn) -> Any:
    try:
        result, message = message_submit(council=request.auth.council, data=payload.dict(),
                                         source=Source.API)
    except (ItemError, UnknownChannel) as error:
        return Status(400, {"error": str(error)})
    body = {"created": result.created, "duplicates": result.duplicates,
            "conflicts": result.conflicts, "message_id": message.pk if message else None}
    return Status(201 if result.created else 200, body)
