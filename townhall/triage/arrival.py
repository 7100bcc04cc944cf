"""Triage on arrival: run the NLP pipeline on messages before they are written.

Ingest calls `triage_prepare` on the unsaved messages (so they are stored, and listed,
already triaged), then `triage_finish` once they have ids, to record incidents and
raise safeguarding alerts. Both run inside the transaction that stores the messages.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from townhall.inbox.models import Conversation, Message
from townhall.triage.classifiers import classifier_for
from townhall.triage.incidents import incidents_load, incidents_save
from townhall.triage.models import PRIORITY_RANK, Category, Priority, SafeguardingAlert
from townhall.triage.nlp.incidents import IncidentTracker
from townhall.triage.nlp.pipeline import Triager, TriageResult, failed_result

logger = logging.getLogger(__name__)
ROLLUP_FIELDS = ["priority", "safeguarding", "category", "language"]


@dataclass
class TriageRun:
    """One council's share of a batch: its messages, results and incident state."""

    council_id: int
    messages: list[Message]
    results: list[TriageResult]
    tracker: IncidentTracker | None


def _run(council_id: int, messages: list[Message]) -> TriageRun:
    """Triage a batch; if the pipeline fails, every message fails closed to a person.

    Messages have no ids yet, so the pipeline sees their place in the batch ("n0",
    "n1", ...); `triage_finish` swaps those for the stored ids.
    """
    tracker = incidents_load(council_id=council_id)
    try:
        triager = Triager(classifier_for(council_id=council_id), tracker=tracker)
        results = list(triager.triage_many(
            {"id": f"n{n}", "text": m.text, "created_at": m.created_at,
             "platform": m.channel.platform}
            for n, m in enumerate(messages)
        ))
    except Exception as error:  # noqa: BLE001 - any failure must reach a person
        logger.exception("Triage failed for %d messages; marking them for review.", len(messages))
        results = [failed_result(message_id=f"n{n}", error=f"triage failed: {error!r}"[:500],
                                 text=m.text) for n, m in enumerate(messages)]
        return TriageRun(council_id, messages, results, None)
    return TriageRun(council_id, messages, results, tracker)


def _apply(message: Message, result: TriageResult, categories: dict[str, int]) -> None:
    message.category_id = categories.get(result.category)
    message.category_confidence = result.category_confidence
    message.priority = result.priority
    message.safeguarding = result.safeguarding
    message.safeguarding_reasons = result.safeguarding_reasons
    message.sentiment = result.sentiment
    message.sentiment_score = result.sentiment_score
    message.language = result.language
    message.places = result.places
    message.pii = result.pii
    message.redacted_text = result.redacted_text
    message.triaged_at = timezone.now()
    message.triage_error = result.error or ""


def _roll_up(conversation: Conversation, message: Message) -> None:
    """A conversation is as urgent as its most urgent message; the first sets the topic."""
    if PRIORITY_RANK[Priority(message.priority)] < PRIORITY_RANK[Priority(conversation.priority)]:
        conversation.priority = message.priority
    conversation.safeguarding = conversation.safeguarding or message.safeguarding
    if conversation.category_id is None and message.category_id is not None:
        conversation.category_id = message.category_id
    if not conversation.language and message.language not in ("", "und"):
        conversation.language = message.language


def triage_prepare(*, messages: list[Message]) -> list[TriageRun]:
    """Triage unsaved inbound messages and roll the findings up to their conversations."""
    by_council: dict[int, list[Message]] = defaultdict(list)
    for message in messages:
        if message.direction == "in":
            by_council[message.council_id].append(message)
    runs = []
    for council_id, batch in by_council.items():
        run = _run(council_id, batch)
        categories = dict(Category.objects.filter(council_id=council_id)
                          .values_list("code", "id"))
        for message, result in zip(batch, run.results, strict=True):
            _apply(message, result, categories)
            _roll_up(message.conversation, message)
        runs.append(run)
    return runs


def triage_finish(*, runs: list[TriageRun]) -> None:
    """Once messages have ids: record incidents and raise alerts for urgent messages."""
    for run in runs:
        ids = {f"n{n}": str(m.pk) for n, m in enumerate(run.messages)}
        if run.tracker is not None:
            incidents_save(council_id=run.council_id, tracker=run.tracker,
                           results=run.results, ids=ids,
                           times={str(m.pk): m.created_at for m in run.messages})
        urgent = [m for m in run.messages if m.safeguarding or m.priority == Priority.CRITICAL]
        if urgent:
            alerts_raise(messages=urgent)


def alerts_raise(*, messages: list[Message]) -> list[SafeguardingAlert]:
    """Record an alert per urgent message and email the duty team once it is committed."""
    from townhall.triage.tasks import send_safeguarding_alert

    alerts = [SafeguardingAlert.objects.get_or_create(
        message=m, defaults={"council_id": m.council_id, "conversation_id": m.conversation_id,
                             "reasons": m.safeguarding_reasons, "priority": m.priority})[0]
        for m in messages]
    for alert in alerts:
        transaction.on_commit(partial(send_safeguarding_alert.delay, alert.pk))
    return alerts
