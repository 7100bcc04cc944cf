"""Welsh and English response times side by side, for the Welsh Language Standards report."""

import csv
import io
import math
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from townhall.core.models import Council
from townhall.inbox.models import Conversation, DeliveryStatus, Direction, Message
from townhall.respond.welsh import BOTH, ENGLISH, WELSH, reply_language

LANGUAGES = (WELSH, ENGLISH)
_BATCH = 2000


@dataclass
class LanguageRow:
    language: str
    conversations: int = 0
    answered: int = 0
    in_language: int = 0
    median_seconds: int | None = None
    p90_seconds: int | None = None

    @property
    def in_language_share(self) -> float | None:
        return self.in_language / self.answered if self.answered else None


def percentile(values: list[int], share: float) -> int | None:
    """Nearest-rank percentile: the smallest value with at least `share` of values at or
    below it, so it is always a real response time."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def _answered_in(resident: str, reply: str) -> bool:
    """A reply in Welsh and English counts for either resident."""
    return reply == resident or reply == BOTH


def _reply_languages(message_ids: list[int]) -> dict[int, str]:
    """Each first reply's language: stored for replies sent from Townhall, detected for
    imported ones, whose language was never recorded."""
    found: dict[int, str] = {}
    for start in range(0, len(message_ids), _BATCH):
        for pk, language, text in Message.objects.filter(
                pk__in=message_ids[start:start + _BATCH]).values_list("id", "language", "text"):
            found[pk] = language if language in (WELSH, ENGLISH, BOTH) else reply_language(text)
    return found


def welsh_report(*, council: Council, start: date, end: date) -> list[LanguageRow]:
    """Conversations that began from `start` to `end` (inclusive, UK dates), by the
    language the resident wrote in: how many, how many answered, the median and 90th
    percentile office time to the first response, and how many were answered in the
    resident's language."""
    zone = timezone.get_default_timezone()
    since = datetime.combine(start, time(0), tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone)
    first_reply = (Message.objects.filter(conversation_id=OuterRef("pk"), direction=Direction.OUT)
                   .filter(Q(delivery_status="") | Q(delivery_status__in=[
                       DeliveryStatus.QUEUED, DeliveryStatus.SENT, DeliveryStatus.FAILED]))
                   .order_by("created_at", "id").values("id")[:1])
    rows = list(Conversation.objects.filter(council=council, created_at__gte=since,
                                            created_at__lt=until, language__in=LANGUAGES)
                .annotate(first_reply_id=Subquery(first_reply))
                .values_list("language", "first_response_office_seconds", "first_reply_id"))
    replies = _reply_languages([r for _, _, r in rows if r is not None])
    report = {lang: LanguageRow(lang) for lang in LANGUAGES}
    seconds: dict[str, list[int]] = {lang: [] for lang in LANGUAGES}
    for language, office_seconds, reply_id in rows:
        row = report[language]
        row.conversations += 1
        if office_seconds is None or reply_id is None:
            continue
        row.answered += 1
        seconds[language].append(office_seconds)
        if _answered_in(language, replies.get(reply_id, "")):
            row.in_language += 1
    for language, row in report.items():
        values = seconds[language]
        row.median_seconds = int(statistics.median(values)) if values else None
        row.p90_seconds = percentile(values, 0.9)
    return [report[WELSH], report[ENGLISH]]


def _hours(value: int | None) -> str:
    return "" if value is None else f"{value / 3600:.2f}"


def welsh_report_csv(*, rows: list[LanguageRow], start: date, end: date) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["from", "to", "language", "conversations", "answered",
                     "median_first_response_office_hours", "p90_first_response_office_hours",
                     "answered_in_residents_language", "share_answered_in_residents_language"])
    for row in rows:
        share = row.in_language_share
        writer.writerow([start.isoformat(), end.isoformat(), row.language, row.conversations,
                         row.answered, _hours(row.median_seconds), _hours(row.p90_seconds),
                         row.in_language, "" if share is None else f"{share:.3f}"])
    return out.getvalue()
