"""Triage on arrival: run the NLP pipeline, store its findings, raise alerts.

Called by ingest inside the transaction that stores the messages."""

import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from townhall.core.lib.db import update_rows
from townhall.inbox.models import Conversation, Message
from townhall.triage.classifiers import classifier_for
from townhall.triage.incidents import incidents_load, incidents_save
from townhall.triage.models import PRIORITY_RANK, Category, Priority, SafeguardingAlert
from townhall.triage.nlp.pipeline import TriageResult, Triager, failed_result

logger = logging.getLogger(__name__)
TRIAGE_FIELDS = ["category", "category_confidence", "priority", "safeguarding",
                 "safeguarding_reasons", "sentiment", "sentiment_score", "language", "places",
                 "pii", "redacted_text", "triaged_at", "triage_error"]


def _run(council_id: int, messages: list[Message]) -> list[TriageResult]:
    """Triage a batch; if the pipeline fails, every message fails closed to a person."""
    tracker = incidents_load(council_id=council_id)
    try:
        triager = Triager(classifier_for(council_id=council_id), tracker=tracker)
        results = list(triager.triage_many(
            {"id": str(m.pk), "text": m.text, "created_at": m.created_at,
             "platform": m.channel.platform}
            for m in messages
        ))
    except Exception as error:  # noqa: BLE001 - any failure must reach a person
        logger.exception("Triage failed for %d messages; marking them for review.", len(messages))
        return [failed_result(message_id=str(m.pk), error=f"triage failed: {error!r}"[:500],
                              text=m.text) for m in messages]
    incidents_save(council_id=council_id, tracker=tracker, results=results)
    return results


def _apply(message: Message, result: TriageResult, categories: dict[str, Category]) -> None:
    now = timezone.now()
    message.category = categories.get(result.category)
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
    message.triaged_at = now
    message.triage_error = result.error or ""


def _roll_up(conversations: dict[int, Conversation], messages: list[Message]) -> None:
    """A conversation is as urgent as its most urgent message; the first sets the topic."""
    for message in messages:
        conversation = conversations[message.conversation_id]
        if PRIORITY_RANK[Priority(message.priority)] < PRIORITY_RANK[Priority(conversation.priority)]:
            conversation.priority = message.priority
        conversation.safeguarding = conversation.safeguarding or message.safeguarding
        if conversation.category_id is None and message.category_id is not None:
            conversation.category_id = message.category_id
        if not conversation.language and message.language not in ("", "und"):
            conversation.language = message.language


def messages_triage(*, messages: list[Message]) -> None:
    """Triage inbound messages in the transaction that stores them."""
    inbound = [m for m in messages if m.direction == "in"]
    by_council: dict[int, list[Message]] = defaultdict(list)
    for message in inbound:
        by_council[message.council_id].append(message)
    for council_id, batch in by_council.items():
        results = _run(council_id, batch)
        categories = {c.code: c for c in Category.objects.filter(council_id=council_id)}
        for message, result in zip(batch, results, strict=True):
            _apply(message, result, categories)
        update_rows(Message, batch, TRIAGE_FIELDS)
        conversations = {c.pk: c for c in Conversation.objects.filter(
            pk__in={m.conversation_id for m in batch})}
        _roll_up(conversations, batch)
        update_rows(Conversation, list(conversations.values()),
                    ["priority", "safeguarding", "category", "language"])
        urgent = [m for m in batch if m.safeguarding or m.priority == Priority.CRITICAL]
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
        transaction.on_commit(lambda pk=alert.pk: send_safeguarding_alert.delay(pk))
    return alerts
