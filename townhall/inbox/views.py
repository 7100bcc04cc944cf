from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from townhall.inbox.selectors import conversation_get, conversation_list, conversation_messages


def _membership(request: HttpRequest):  # type: ignore[no-untyped-def]
    if request.membership is None:  # type: ignore[attr-defined]
        raise Http404("You are not a member of any council.")
    return request.membership  # type: ignore[attr-defined]


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    status = request.GET.get("status") or "open"
    rows = conversation_list(membership=membership, status=status)
    return render(request, "inbox/inbox.html", {"conversations": rows, "status": status})


@login_required
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    membership = _membership(request)
    item = conversation_get(membership=membership, conversation_id=conversation_id)
    return render(request, "inbox/conversation.html",
                  {"conversation": item, "messages": conversation_messages(conversation=item)})
