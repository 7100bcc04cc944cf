"""Inbox pages: parse the request, call one selector or service, render."""

import hashlib
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.accounts.models import Membership
from townhall.connectors.models import Platform
from townhall.inbox import services
from townhall.inbox.forms import (
    AssignForm,
    CorrectionForm,
    NoteForm,
    ReplyForm,
    SnoozeForm,
    StatusForm,
    filters_from_query,
)
from townhall.inbox.models import Conversation, ReplyLanguage
from townhall.inbox.selectors import (
    SEARCH_CLOSED_LIMIT,
    InboxFilters,
    ReplyOutcome,
    conversation_get,
    conversation_history,
    conversation_live_token,
    conversation_notes,
    conversation_thread,
    conversation_viewers,
    council_categories,
    council_members,
    council_teams,
    inbox_counts,
    inbox_page,
    reply_outcome,
    resident_profile,
    saved_replies,
)
from townhall.inbox.timeline import ThreadEvent, thread_events
from townhall.respond.selectors import breach_warnings_open, response_clock_for
from townhall.respond.welsh import WelshReplyRequired, resident_language
from townhall.triage.models import Priority

LANGUAGES = ReplyLanguage.choices


def _membership(request: HttpRequest) -> Membership:
    if request.membership is None:  # type: ignore[attr-defined]
        raise Http404("You are not a member of any council.")
    return request.membership  # type: ignore[attr-defined]


def _facets(membership: Membership, filters: InboxFilters,
            counts: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """Each filter's choices as (value, label, count, selected), ready for a select."""
    def options(name: str, anything: str, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        chosen = getattr(filters, name)
        found = counts.get(name)
        return {"name": name, "options": [("", anything, None, not chosen)] + [
            (value, label, None if found is None else found.get(value, 0), chosen == value)
            for value, label in pairs]}

    people = [(str(m.user_id), m.user.get_full_name() or m.user.get_username())
              for m in council_members(membership=membership)]
    facets: list[tuple[str, str, str, list[tuple[str, Any]]]] = [
        ("assignee", _("Assigned to"), _("Anyone"),
         [("me", _("Me")), ("none", _("Nobody yet"))] + people),
        ("team", _("Team"), _("Any team"), [("none", _("No team yet"))] + [
            (str(t.pk), t.name) for t in council_teams(membership=membership)]),
        ("priority", _("Priority"), _("Any priority"), list(Priority.choices)),
        ("safeguarding", _("Safeguarding"), _("All conversations"),
         [("yes", _("Safeguarding concern")), ("no", _("No concern found"))]),
        ("category", _("Category"), _("Any category"), [("none", _("Not categorised"))] + [
            (str(c.pk), c.name) for c in council_categories(membership=membership)]),
        ("platform", _("Platform"), _("Any platform"), [
            (code, str(label)) for code, label in Platform.choices]),
        ("language", _("Language"), _("Any language"), list(LANGUAGES)),
    ]
    return [{**options(name, anything, pairs), "label": label}
            for name, label, anything, pairs in facets]


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    filters = filters_from_query(request.GET)
    page = inbox_page(membership=membership, filters=filters)
    counts = inbox_counts(membership=membership, filters=filters)
    token = hashlib.sha256(repr((
        [(c.pk, c.version, c.message_count, c.urgency) for c in page.rows], counts
    )).encode()).hexdigest()[:16]
    if request.headers.get("HX-Request") and request.GET.get("since") == token:
        return HttpResponse(status=204)
    query = request.GET.copy()
    for name in ("page", "since"):
        query.pop(name, None)
    context = {"page": page, "filters": filters, "counts": counts, "token": token,
               "breach_warnings": (breach_warnings_open(council=membership.council)
                                   if membership.is_supervisor_or_admin
                                   and not request.headers.get("HX-Request") else []),
               "membership": membership, "query": query.urlencode(),
               "facets": _facets(membership, filters, counts),
               "search_closed_limit": SEARCH_CLOSED_LIMIT}
    template = "inbox/_queue.html" if request.headers.get("HX-Request") else "inbox/inbox.html"
    return render(request, template, context)


def _forms(conversation: Conversation, membership: Membership,
           bound: dict[str, Any], about: ThreadEvent | None = None) -> dict[str, Any]:
    initial = {"version": conversation.version}
    # "Send this update to the resident" starts the reply from the update's wording.
    reply_initial = {**initial, "text": about.reply_text, "about": about.key} if about else initial
    made = {
        "reply": ReplyForm(initial=reply_initial, prefix="reply"),
        "note": NoteForm(initial=initial, prefix="note"),
        "status": StatusForm(initial=initial, prefix="status"),
        "snooze": SnoozeForm(initial=initial, prefix="snooze"),
        "assign": AssignForm(membership=membership, prefix="assign", initial={
            **initial, "team": conversation.team_id, "assignee": conversation.assignee_id}),
        "correct": CorrectionForm(membership=membership, prefix="correct", initial={
            **initial, "category": conversation.category_id,
            "priority": conversation.priority}),
    }
    made.update(bound)
    return made


def _live_context(request: HttpRequest, conversation: Conversation,
                  seen_version: int) -> dict[str, Any]:
    viewers = conversation_viewers(conversation=conversation,
                                   exclude_user_id=int(request.user.pk or 0))
    changes = (conversation_history(conversation=conversation, since_version=seen_version)
               if conversation.version > seen_version else [])
    events = thread_events(conversation=conversation)
    token = conversation_live_token(conversation_id=conversation.pk, viewers=viewers)
    return {
        "conversation": conversation,
        "thread": conversation_thread(conversation=conversation),
        "thread_events": events,
        "notes": conversation_notes(conversation=conversation),
        "viewers": viewers,
        "changes": changes,
        "seen_version": seen_version,
        # A new back-office update, or a reply about one, changes what the thread shows.
        "token": f"{token}.{''.join(e.reply_state[:1] or '-' for e in events)}",
    }


def _about(events: list[ThreadEvent], key: str) -> ThreadEvent | None:
    """The thread entry a reply is about, if it is still one that can be answered."""
    return next((e for e in events if key and e.key == key and e.reply_text), None)


def _page(request: HttpRequest, membership: Membership, conversation: Conversation, *,
          bound: dict[str, Any] | None = None, conflict: list[Any] | None = None,
          errors: list[tuple[str, str]] | None = None, status: int = 200,
          welsh_blocked: bool = False) -> HttpResponse:
    services.viewer_heartbeat(conversation=conversation, user=cast(Any, request.user))
    language = resident_language(conversation)
    now = timezone.now()
    live = _live_context(request, conversation, conversation.version)
    forms = _forms(conversation, membership, bound or {},
                   about=_about(live["thread_events"], request.GET.get("about", "")))
    context = {
        **live,
        "membership": membership,
        "forms": forms,
        "about": _about(live["thread_events"], str(forms["reply"]["about"].value() or "")),
        "profile": resident_profile(membership=membership, conversation=conversation),
        "history": conversation_history(conversation=conversation, limit=10),
        "saved_replies": [
            (s, s.title_in(language), services.saved_reply_render(
                saved_reply=s, conversation=conversation, officer=cast(Any, request.user),
                language=language))
            for s in saved_replies(council_id=conversation.council_id)],
        "reply_language": "cy" if language == "cy" else "en",
        "resident_language": language,
        "welsh_rule": membership.council.welsh_language_standards and language == "cy",
        "welsh_blocked": welsh_blocked,
        "wait": response_clock_for(membership.council).waiting(
            waiting_since=conversation.waiting_since, priority=conversation.priority,
            safeguarding=conversation.safeguarding, category_id=conversation.category_id,
            now=now) if conversation.waiting_since else None,
        "signature": services.reply_signature(user=cast(Any, request.user)),
        "limit": services.reply_limit(platform=conversation.platform),
        "conflict": conflict,
        "errors": errors or [],
        "now": now,
    }
    if context["limit"]:
        context["limit_for_text"] = context["limit"] - len(context["signature"]) - 1
    return render(request, "inbox/conversation.html", context, status=status)


@login_required
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    membership = _membership(request)
    item = conversation_get(membership=membership, conversation_id=conversation_id)
    return _page(request, membership, item)


@login_required
def conversation_live(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The part of the page that follows colleagues and residents, polled by HTMX.

    Answers 204 when nothing changed since the token the page holds, so a quiet
    conversation costs a few indexed reads and no rendering.
    """
    membership = _membership(request)
    item = conversation_get(membership=membership, conversation_id=conversation_id)
    services.viewer_heartbeat(conversation=item, user=cast(Any, request.user))
    seen = request.GET.get("seen", "")
    context = _live_context(request, item, int(seen) if seen.isdigit() else item.version)
    if request.GET.get("since") == context["token"]:
        return HttpResponse(status=204)
    return render(request, "inbox/_live.html", context)


Write = Callable[[Any, Membership, Conversation], str]


def _write(request: HttpRequest, conversation_id: int, name: str, form: Any,
           write: Write) -> HttpResponse:
    """Validate a form, run one service, then redirect, or show the page again with the
    officer's text kept and the reason it was not saved."""
    membership = _membership(request)
    item = conversation_get(membership=membership, conversation_id=conversation_id)
    url = reverse("inbox:conversation", args=[item.pk])
    welsh_blocked = False
    if form.is_valid():
        try:
            done = write(form, membership, item)
        except services.ConversationChanged as changed:
            # Keep what they typed, now at the current version: having read what changed,
            # they can send it again with one press.
            data = request.POST.copy()
            data[f"{name}-version"] = str(changed.conversation.version)
            extra = {"membership": membership} if name in ("assign", "correct") else {}
            again = type(form)(data, prefix=name, **extra)
            return _page(request, membership, changed.conversation, bound={name: again},
                         conflict=changed.changes, status=409)
        except ValidationError as error:
            field = "text" if "text" in form.fields else None
            for text in error.messages:
                form.add_error(field, text)
            welsh_blocked = isinstance(error, WelshReplyRequired)
        else:
            if done:
                messages.success(request, done)
            try:
                conversation_get(membership=membership, conversation_id=item.pk)
            except Http404:
                return redirect("inbox:inbox")
            return redirect(url)
    errors = [(str(e), f"id_{name}-{field}" if field != "__all__" else f"{name}-form")
              for field, errs in form.errors.items() for e in errs]
    return _page(request, membership, item, bound={name: form}, errors=errors, status=400,
                 welsh_blocked=welsh_blocked)


@login_required
@require_POST
def reply(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def write(form: Any, membership: Membership, item: Conversation) -> str:
        message = services.conversation_reply(
            conversation=item, text=form.cleaned_data["text"], by=membership,
            version=form.cleaned_data["version"],
            idempotency_key=form.cleaned_data["idempotency_key"],
            welsh_override=form.cleaned_data["welsh_override"],
            about=form.cleaned_data["about"], by_email=form.cleaned_data["by_email"])
        outcome = reply_outcome(message=message)
        text = _reply_words(outcome)
        if outcome.state in ("failed", "chat_ended"):
            messages.warning(request, text)
            return ""
        return text
    return _write(request, conversation_id, "reply", ReplyForm(request.POST, prefix="reply"),
                  write)


def _reply_words(outcome: ReplyOutcome) -> str:
    """What the officer is told about the reply they just sent: what actually happened."""
    if outcome.email:
        return {
            "sent": _("Your reply has been sent by email to %(email)s."),
            "failed": _("Your reply was not sent by email to %(email)s. The reason is shown "
                        "with it below."),
            "approval": _("Your reply is waiting for a supervisor's approval. Then it will "
                          "be sent by email to %(email)s."),
        }.get(outcome.state, _("Your reply is queued to send by email to %(email)s.")) % {
            "email": outcome.email}
    return {
        "approval": _("Your reply is waiting for a supervisor's approval. It has not been "
                      "sent."),
        "published": _("Your reply is published to the reporting app as the request's "
                       "status notes."),
        "sent": _("Your reply has been sent."),
        "failed": _("Your reply was not sent. The reason is shown with it below."),
        "stored": _("Your reply is stored for the resident. Their chat shows it when it "
                    "is open."),
        "chat_ended": _("Your reply is stored here, but the resident's chat has ended, so "
                        "they will not see it."),
    }.get(outcome.state, _("Your reply is queued to send."))


@login_required
@require_POST
def note(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def write(form: Any, membership: Membership, item: Conversation) -> str:
        services.conversation_note_add(conversation=item, text=form.cleaned_data["text"],
                                       by=membership)
        return _("Note added.")
    return _write(request, conversation_id, "note", NoteForm(request.POST, prefix="note"), write)


@login_required
@require_POST
def assign(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def write(form: Any, membership: Membership, item: Conversation) -> str:
        services.conversation_assign(conversation=item, team=form.team_obj(),
                                     assignee=form.assignee_obj(), by=membership,
                                     version=form.cleaned_data["version"])
        return _("Assignment saved.")
    form = AssignForm(request.POST, prefix="assign", membership=_membership(request))
    return _write(request, conversation_id, "assign", form, write)


@login_required
@require_POST
def correct(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def write(form: Any, membership: Membership, item: Conversation) -> str:
        services.conversation_correct(conversation=item, category=form.category_obj(),
                                      priority=form.cleaned_data["priority"], by=membership,
                                      version=form.cleaned_data["version"])
        return _("Category and priority saved. Thank you: this helps triage learn.")
    form = CorrectionForm(request.POST, prefix="correct", membership=_membership(request))
    return _write(request, conversation_id, "correct", form, write)


def _status_change(request: HttpRequest, conversation_id: int,
                   change: Callable[..., Conversation], done: str) -> HttpResponse:
    """Close or reopen: the same form and the same steps, another service and message."""
    def write(form: Any, membership: Membership, item: Conversation) -> str:
        change(conversation=item, by=membership, version=form.cleaned_data["version"])
        return done
    return _write(request, conversation_id, "status", StatusForm(request.POST, prefix="status"),
                  write)


@login_required
@require_POST
def close(request: HttpRequest, conversation_id: int) -> HttpResponse:
    return _status_change(request, conversation_id, services.conversation_close,
                          _("Conversation closed."))


@login_required
@require_POST
def reopen(request: HttpRequest, conversation_id: int) -> HttpResponse:
    return _status_change(request, conversation_id, services.conversation_reopen,
                          _("Conversation reopened."))


@login_required
@require_POST
def snooze(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def write(form: Any, membership: Membership, item: Conversation) -> str:
        services.conversation_snooze(conversation=item, until=form.until_value(),
                                     by=membership, version=form.cleaned_data["version"])
        return _("Conversation snoozed. It will come back to the open list then.")
    return _write(request, conversation_id, "snooze", SnoozeForm(request.POST, prefix="snooze"),
                  write)
