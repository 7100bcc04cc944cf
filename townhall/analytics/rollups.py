"""Keep the roll-ups equal to a direct count of conversations and messages.

A refresh reads what changed since the last one: messages added (including ones that
arrive late, written days ago) and conversations an officer changed (every such change
writes an audit event). It then rebuilds the facts of the conversations involved and
recounts every London day those conversations touch, from the source tables, and the
months holding those days. Recounting whole days, never adding to them, is what keeps
the figures true after late and edited data. Decision record 0701.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Count, Field, Max, Min, Sum
from django.utils import timezone

from townhall.analytics.facts import UNSENT, facts_refresh
from townhall.analytics.fy import day_start_utc, london_day, month_start, next_month
from townhall.analytics.models import (
    DIMENSIONS,
    FR_BANDS,
    MEASURES,
    RES_BANDS,
    SPLIT_DIMENSIONS,
    SPLIT_MEASURES,
    ConversationFact,
    Grain,
    Rollup,
    RollupState,
    SplitBy,
    SplitRollup,
    TermCount,
)
from townhall.analytics.response_targets import targets_key
from townhall.analytics.terms import count_terms
from townhall.core.lib.db import insert_rows, new_row
from townhall.core.models import AuditEvent, Council
from townhall.inbox.models import Conversation, Direction, Message

logger = logging.getLogger(__name__)

# Word counts are kept this long: emerging topics compare the last 7 days with the 28
# before, and a fortnight more lets late messages land.
TERM_DAYS = 42
# A transaction that took an id early can commit after one that took a later id. Each
# refresh re-counts the last LAG ids it read; if the count moved, it reads them again.
LAG = 2000
# The dashboard brings the roll-ups up to date before it shows them when this little
# has changed (new messages and conversation changes, written on this many different
# days); more is left to the task, and the page says the figures may be behind.
INLINE_LIMIT = 2_000
INLINE_DAYS = 3
# Recounting a day also recounts its month, which costs in proportion to the month's
# conversations. Above this many in the last 31 days (a council of 60,000 or more a
# year), views never wait for a recount: the task does it, and the page says when the
# figures were last brought up to date.
INLINE_MONTH = 5_000
SENTIMENTS = ("positive", "neutral", "negative")
CONVERSATION_TYPE = Conversation._meta.label_lower


@dataclass
class RefreshResult:
    messages: int = 0
    conversations: int = 0
    days: int = 0
    months: int = 0


def _empty(council_id: int, grain: str, start: date, key: tuple[Any, ...]) -> Rollup:
    return new_row(Rollup, council_id=council_id, grain=grain, start=start,
                   **dict(zip(DIMENSIONS, key, strict=True)))


def day_rollups(*, council_id: int, day: date) -> list[Rollup]:
    """Count one London day from the source tables, one row per combination."""
    rows: dict[tuple[Any, ...], Rollup] = {}

    def row(key: tuple[Any, ...]) -> Rollup:
        key = (key[0], key[1], key[2], key[3] or "")
        if key not in rows:
            rows[key] = _empty(council_id, Grain.DAY, day, key)
        return rows[key]

    messages = (
        Message.objects.filter(council_id=council_id, created_at__gte=day_start_utc(day),
                               created_at__lt=day_start_utc(day + timedelta(days=1)))
        .exclude(direction=Direction.OUT, delivery_status__in=UNSENT)
        .values_list("conversation__platform", "conversation__category_id",
                     "conversation__team_id", "conversation__language", "direction",
                     "sentiment")
        .annotate(n=Count("id")).order_by())
    for platform, category, team, language, direction, sentiment, n in messages:
        target = row((platform, category, team, language))
        if direction == Direction.IN:
            target.messages_in += n
            if sentiment in SENTIMENTS:
                setattr(target, sentiment, getattr(target, sentiment) + n)
        else:
            target.messages_out += n
    facts = (
        ConversationFact.objects.filter(council_id=council_id, day=day)
        .values_list("platform", "category_id", "team_id", "language",
                     "first_response_band", "resolution_band", "welsh_reply",
                     "first_response_in_target", "resolution_in_target")
        .annotate(n=Count("id"), first=Sum("first_response_seconds"),
                  resolution=Sum("resolution_seconds")).order_by())
    for (platform, category, team, language, fr_band, res_band, welsh, fr_met, res_met,
         n, first, res) in facts:
        target = row((platform, category, team, language))
        target.contacts += n
        if fr_band is not None:
            target.answered += n
            target.first_response_sum += first or 0
            setattr(target, f"fr_{fr_band}", getattr(target, f"fr_{fr_band}") + n)
            target.answered_in_target += n if fr_met else 0
        if res_band is not None:
            target.resolved += n
            target.resolution_sum += res or 0
            setattr(target, f"res_{res_band}", getattr(target, f"res_{res_band}") + n)
            target.resolved_in_target += n if res_met else 0
        if welsh is not None:
            target.welsh_replied += n
            target.welsh_in_welsh += n if welsh else 0
    return list(rows.values())


def _write_day(council_id: int, day: date) -> None:
    Rollup.objects.filter(council_id=council_id, grain=Grain.DAY, start=day).delete()
    insert_rows(Rollup, day_rollups(council_id=council_id, day=day))


def _sum_month(model: Any, council_id: int, month: date, keys: tuple[str, ...],
               measures: tuple[str, ...]) -> None:
    """Replace a month's rows of `model` with the sums of its day rows, in one
    INSERT ... SELECT, so no row passes through Python."""
    meta = model._meta
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)

    table = quote(meta.db_table)
    key_columns = ", ".join(column(k) for k in keys)
    measure_columns = ", ".join(column(m) for m in measures)
    sums = ", ".join(f"SUM({column(m)})" for m in measures)
    model.objects.filter(council_id=council_id, grain=Grain.MONTH, start=month).delete()
    adapt = connection.ops.adapt_datefield_value
    # Only table and column names from the model are formatted in; values are parameters.
    sql = (f"INSERT INTO {table} (council_id, grain, start, {key_columns}, "  # noqa: S608
           f"{measure_columns}) SELECT council_id, %s, %s, {key_columns}, {sums} "
           f"FROM {table} WHERE council_id = %s AND grain = %s AND start >= %s "
           f"AND start < %s GROUP BY council_id, {key_columns}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [Grain.MONTH, adapt(month), council_id, Grain.DAY, adapt(month),
                             adapt(next_month(month))])


def _write_splits(council_id: int, month: date) -> None:
    """A month's conversations by ward and by officer, counted from the facts in one
    INSERT ... SELECT each. Split rows are kept by month only: a range's ragged days are
    read from the facts (see scope.split_sums), which is cheaper than keeping a row for
    every ward or officer, platform, category and team on every day."""
    meta, quote = SplitRollup._meta, connection.ops.quote_name
    facts_table = quote(ConversationFact._meta.db_table)
    dimensions = ", ".join(quote(str(cast(Field, meta.get_field(d)).column))
                           for d in SPLIT_DIMENSIONS)
    measures = ", ".join(quote(str(cast(Field, meta.get_field(m)).column))
                         for m in SPLIT_MEASURES)
    counts = ", ".join(split_sums_sql())
    adapt = connection.ops.adapt_datefield_value
    SplitRollup.objects.filter(council_id=council_id, grain=Grain.MONTH, start=month).delete()
    with connection.cursor() as cursor:
        for by, column in ((SplitBy.WARD, "ward_id"), (SplitBy.OFFICER, "assignee_id")):
            # Only table and column names from the models are formatted in.
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} (council_id, grain, start, {quote('by')}, "  # noqa: S608
                f"{quote('value')}, {dimensions}, {measures}) SELECT council_id, %s, %s, %s, "
                f"{quote(column)}, {dimensions}, {counts} FROM {facts_table} "
                f"WHERE council_id = %s AND day >= %s AND day < %s "
                f"GROUP BY council_id, {quote(column)}, {dimensions}",
                [Grain.MONTH, adapt(month), by, council_id, adapt(month),
                 adapt(next_month(month))])


def split_sums_sql() -> list[str]:
    """SQL for SPLIT_MEASURES over facts, in order: counts, then one sum per band."""
    found = ["COUNT(*)", "COUNT(first_response_band)", "COUNT(resolution_band)",
             # A bare boolean column is a condition on both SQLite and PostgreSQL.
             "SUM(CASE WHEN first_response_in_target THEN 1 ELSE 0 END)",
             "SUM(CASE WHEN resolution_in_target THEN 1 ELSE 0 END)"]
    found += [f"SUM(CASE WHEN first_response_band = {n} THEN 1 ELSE 0 END)"
              for n in range(len(FR_BANDS))]
    found += [f"SUM(CASE WHEN resolution_band = {n} THEN 1 ELSE 0 END)"
              for n in range(len(RES_BANDS))]
    return found


def _write_month(council_id: int, month: date) -> None:
    _sum_month(Rollup, council_id, month, DIMENSIONS, MEASURES)
    _write_splits(council_id, month)


def _write_terms(council_id: int, day: date) -> None:
    texts = (Message.objects.filter(council_id=council_id, direction=Direction.IN,
                                    created_at__gte=day_start_utc(day),
                                    created_at__lt=day_start_utc(day + timedelta(days=1)))
             .values_list("redacted_text", "text"))
    counts = count_terms(redacted or text for redacted, text in texts)
    TermCount.objects.filter(council_id=council_id, day=day).delete()
    insert_rows(TermCount, [TermCount(council_id=council_id, day=day, term=term, messages=n)
                            for term, n in counts.items()])


def days_recount(*, council: Council, days: Iterable[date], today: date | None = None) -> int:
    """Recount these days, the months that hold them and their word counts."""
    today = today or timezone.localdate()
    wanted = sorted(set(days))
    for day in wanted:
        _write_day(council.pk, day)
    months = sorted({month_start(d) for d in wanted})
    for month in months:
        _write_month(council.pk, month)
    horizon = today - timedelta(days=TERM_DAYS)
    for day in wanted:
        if day >= horizon:
            _write_terms(council.pk, day)
    TermCount.objects.filter(council_id=council.pk, day__lt=horizon).delete()
    return len(months)


def _message_days(conversation_ids: list[int]) -> set[date]:
    days: set[date] = set()
    for start in range(0, len(conversation_ids), 1000):
        chunk = conversation_ids[start:start + 1000]
        days.update(london_day(at) for at in Message.objects.filter(
            conversation_id__in=chunk).values_list("created_at", flat=True))
    return days


def _window_count(queryset: Any, top: int) -> int:
    return int(queryset.filter(pk__gt=top - LAG, pk__lte=top).count())


def _state(council: Council) -> RollupState:
    RollupState.objects.get_or_create(council=council)
    return RollupState.objects.select_for_update().get(council=council)


def _messages(council: Council) -> Any:
    return Message.objects.filter(council=council)


def _audits(council: Council) -> Any:
    return AuditEvent.objects.filter(council=council, object_type=CONVERSATION_TYPE)


def _stale(state: RollupState | None, council: Council) -> bool:
    """Whether every fact must be worked out again: never counted, the wards changed,
    or the response targets differ from those the facts were measured against."""
    return (state is None or state.refreshed_at is None or state.rebuild_needed
            or state.targets_key != targets_key(council.pk))


def pending_changes(*, council: Council) -> int:
    """Roughly how much a refresh would read: new messages and conversation changes."""
    state = RollupState.objects.filter(council=council).first()
    if state is None or _stale(state, council):
        return Conversation.objects.filter(council=council).count()
    return (_messages(council).filter(pk__gt=state.last_message_id).count()
            + _audits(council).filter(pk__gt=state.last_audit_id).count())


def refresh_is_quick(*, council: Council, today: date | None = None) -> bool:
    """Whether a refresh now would take a moment: nothing to do, or few changes, on few
    days, in a council whose months are small. A refresh's cost is mostly the days and
    months it recounts; late messages can touch many days."""
    pending = pending_changes(council=council)
    if pending == 0:
        return True
    if pending > INLINE_LIMIT:
        return False
    today = today or timezone.localdate()
    recent = ConversationFact.objects.filter(council=council,
                                             day__gte=today - timedelta(days=31)).count()
    if recent > INLINE_MONTH:
        return False
    state = RollupState.objects.filter(council=council).first()
    if state is None or _stale(state, council):
        return True  # a small council's first count, or its wards or targets changed
    written = (_messages(council).filter(pk__gt=state.last_message_id).order_by()
               .values_list("created_at", flat=True))
    return len({london_day(at) for at in written}) <= INLINE_DAYS


def _up_to_date(council: Council) -> bool:
    """True when nothing has changed since the last refresh: four reads along primary
    keys and one of the council's few response targets, and no write (on SQLite a write
    transaction would wait for other writers)."""
    state = RollupState.objects.filter(council=council).first()
    if state is None or _stale(state, council):
        return False
    messages, audits = _messages(council), _audits(council)
    return ((messages.aggregate(m=Max("id"))["m"] or 0) == state.last_message_id
            and (audits.order_by().aggregate(m=Max("id"))["m"] or 0) == state.last_audit_id
            and _window_count(messages, state.last_message_id) == state.message_window
            and _window_count(audits, state.last_audit_id) == state.audit_window)


def rollups_refresh(*, council: Council, today: date | None = None) -> RefreshResult:
    """Bring the council's facts and roll-ups up to date with what changed."""
    if _up_to_date(council):
        return RefreshResult()
    with transaction.atomic():
        return _refresh(council, today)


def _refresh(council: Council, today: date | None) -> RefreshResult:
    state = _state(council)
    if _stale(state, council):
        # The first count, or the wards or response targets changed: start from nothing.
        return _rebuild(council, state, today)
    messages, audits = _messages(council), _audits(council)
    top_message = messages.aggregate(m=Max("id"))["m"] or 0
    top_audit = audits.order_by().aggregate(m=Max("id"))["m"] or 0
    message_from, audit_from = state.last_message_id, state.last_audit_id
    # Re-read the lag window if ids below the mark have committed (or gone) since.
    if message_from and _window_count(messages, message_from) != state.message_window:
        message_from = max(0, message_from - LAG)
    if audit_from and _window_count(audits, audit_from) != state.audit_window:
        audit_from = max(0, audit_from - LAG)
    new = list(messages.filter(pk__gt=message_from, pk__lte=top_message).order_by()
               .values_list("conversation_id", "created_at"))
    changed = {int(pk) for pk in audits.filter(pk__gt=audit_from, pk__lte=top_audit)
               .values_list("object_id", flat=True) if str(pk).isdigit()}
    conversations = sorted({c for c, _ in new} | changed)
    days = {london_day(at) for _, at in new}
    if conversations:
        days |= facts_refresh(council=council, conversation_ids=conversations)
        days |= _message_days(conversations)
    months = days_recount(council=council, days=days, today=today)
    _save_state(state, top_message, top_audit, state.targets_key)
    return RefreshResult(messages=len(new), conversations=len(conversations), days=len(days),
                         months=months)


def _save_state(state: RollupState, top_message: int, top_audit: int, key: str) -> None:
    council = state.council
    state.targets_key = key
    state.last_message_id = top_message
    state.last_audit_id = top_audit
    state.message_window = _window_count(_messages(council), top_message)
    state.audit_window = _window_count(_audits(council), top_audit)
    state.refreshed_at = timezone.now()
    state.rebuild_needed = False
    state.save()


def _rebuild(council: Council, state: RollupState, today: date | None) -> RefreshResult:
    top_message = _messages(council).aggregate(m=Max("id"))["m"] or 0
    top_audit = _audits(council).order_by().aggregate(m=Max("id"))["m"] or 0
    key = targets_key(council.pk)
    ids = list(Conversation.objects.filter(council=council).values_list("id", flat=True))
    ConversationFact.objects.filter(council=council).delete()
    facts_refresh(council=council, conversation_ids=ids)
    Rollup.objects.filter(council=council).delete()
    SplitRollup.objects.filter(council=council).delete()
    TermCount.objects.filter(council=council).delete()
    bounds = Message.objects.filter(council=council).aggregate(first=Min("created_at"),
                                                               last=Max("created_at"))
    days: set[date] = set()
    if bounds["first"] is not None:
        first, last = london_day(bounds["first"]), london_day(bounds["last"])
        days = {first + timedelta(days=n) for n in range((last - first).days + 1)}
    days |= set(ConversationFact.objects.filter(council=council)
                .values_list("day", flat=True).distinct())
    months = days_recount(council=council, days=days, today=today)
    _save_state(state, top_message, top_audit, key)
    return RefreshResult(messages=top_message, conversations=len(ids), days=len(days),
                         months=months)


@transaction.atomic
def rollups_rebuild(*, council: Council, today: date | None = None) -> RefreshResult:
    """Throw the council's roll-ups away and count everything again."""
    return _rebuild(council, _state(council), today)


def rollups_rebuild_needed(*, council: Council) -> None:
    """Mark every fact stale (the wards changed); the next refresh rebuilds them."""
    RollupState.objects.update_or_create(council=council, defaults={"rebuild_needed": True})


def refreshed_at(*, council: Council) -> datetime | None:
    return (RollupState.objects.filter(council=council)
            .values_list("refreshed_at", flat=True).first())
