"""The triage pipeline: one message in, one TriageResult out.

This is the API the Django app calls: `triage_one` for a single message,
`Triager` for a stream (it carries incident state) and `triage_one_safe`, the
fail-closed wrapper for anything that must never silently drop a message.
"""

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from townhall.triage.nlp import incidents, priority, sentiment
from townhall.triage.nlp.default_classifier import DefaultClassifier, Prediction
from townhall.triage.nlp.incidents import IncidentTracker, parse_time
from townhall.triage.nlp.language import detect_language
from townhall.triage.nlp.pii import find_pii, redact
from townhall.triage.nlp.places import find_places, place_keys
from townhall.triage.nlp.prepared import Prepared
from townhall.triage.nlp.priority import CRITICAL, priority_for
from townhall.triage.nlp.safeguarding import safeguarding_reasons

TRIAGE_FAILED = "triage_failed"
OUTPUT_KEYS = ("id", "category", "category_confidence", "priority", "safeguarding",
               "safeguarding_reasons", "sentiment", "sentiment_score", "language", "places",
               "pii", "redacted_text", "incident")


class Classifier(Protocol):
    def predict(self, texts: list[str]) -> list[Prediction]: ...


@dataclass
class TriageResult:
    id: str | None
    category: str
    category_confidence: float
    priority: str
    safeguarding: bool
    safeguarding_reasons: list[str]
    sentiment: str
    sentiment_score: float
    language: str
    places: list[dict[str, Any]]
    pii: list[dict[str, Any]]
    redacted_text: str
    incident: str | None
    needs_review: bool = False
    error: str | None = field(default=None)
    # Earlier messages (by id) that should now carry `incident` too.
    incident_joined: list[str] = field(default_factory=list)

    def as_output(self) -> dict[str, Any]:
        """The JSON line `townhall triage run` writes; "error" only when there was one."""
        # Built by hand: dataclasses.asdict deep-copies every field and cost more
        # than some of the analysis. The lists are copied so callers may change them.
        out = {key: getattr(self, key) for key in OUTPUT_KEYS}
        out["safeguarding_reasons"] = list(self.safeguarding_reasons)
        out["places"] = [dict(p) for p in self.places]
        out["pii"] = [dict(p) for p in self.pii]
        if self.error:
            out["error"] = self.error
        return out


def failed_result(*, message_id: str | None, error: str, text: str = "") -> TriageResult:
    """Fail closed: a person must look at a message the pipeline could not read."""
    try:
        spans = find_pii(text)
        redacted, pii = redact(text, spans), [s.as_dict() for s in spans]
    except Exception:  # noqa: BLE001 - redaction must not stop the fail-closed path
        redacted, pii = "", []
    return TriageResult(
        id=message_id, category="general_enquiry", category_confidence=0.0, priority=CRITICAL,
        safeguarding=True, safeguarding_reasons=[TRIAGE_FAILED], sentiment="neutral",
        sentiment_score=0.0, language="und", places=[], pii=pii, redacted_text=redacted,
        incident=None, needs_review=True, error=error)


class Triager:
    """Holds the classifier and the incident state for one stream of messages."""

    def __init__(self, classifier: Classifier | None = None, *, tracker: IncidentTracker | None = None) -> None:
        self.classifier: Classifier = classifier or DefaultClassifier()
        self.tracker = tracker or IncidentTracker()

    def triage_many(self, messages: Iterable[dict[str, Any]]) -> Iterator[TriageResult]:
        """Triage dicts with "text" and optional "id", "created_at", "platform"."""
        batch = list(messages)
        prepared = [Prepared(str(m.get("text", ""))) for m in batch]
        if isinstance(self.classifier, DefaultClassifier):
            predictions = self.classifier.predict_prepared(prepared)
        else:
            predictions = self.classifier.predict([p.text for p in prepared])
        for message, ready, prediction in zip(batch, prepared, predictions, strict=True):
            yield self._finish(message, ready, prediction)

    def triage(self, text: str, *, message_id: str | None = None, created_at: str | datetime | None = None,
               platform: str | None = None) -> TriageResult:
        message = {"id": message_id, "text": text, "created_at": created_at, "platform": platform}
        return next(self.triage_many([message]))

    def _finish(self, message: dict[str, Any], ready: Prepared, prediction: Prediction) -> TriageResult:
        text = ready.text
        message_id = message.get("id")
        reasons = safeguarding_reasons(text, folded=ready.folded)
        label, score = sentiment.sentiment(text, lowered=ready.lowered_prefix(sentiment.MAX_CHARS))
        places = find_places(text[:20000])
        spans = find_pii(text)
        created = message.get("created_at")
        created_at = created if isinstance(created, datetime) else parse_time(created)
        assignment = self.tracker.assign(
            message_id=str(message.get("_key", message_id)), text=text, category=prediction.label,
            places=place_keys(places), created_at=created_at,
            stems=ready.stems_prefix(incidents.MAX_CHARS))
        level = priority_for(category=prediction.label, safeguarding=bool(reasons), text=text,
                             folded=None if reasons else ready.folded_prefix(priority.MAX_CHARS))
        return TriageResult(
            id=None if message_id is None else str(message_id),
            category=prediction.label, category_confidence=prediction.confidence,
            priority=level,
            safeguarding=bool(reasons), safeguarding_reasons=reasons,
            sentiment=label, sentiment_score=score, language=detect_language(text),
            places=[p.as_dict() for p in places], pii=[s.as_dict() for s in spans],
            redacted_text=redact(text, spans), incident=assignment.incident_id,
            incident_joined=list(assignment.joined),
            needs_review=bool(reasons) or prediction.confidence < 0.35)


_default: Triager | None = None


def _shared() -> Triager:
    global _default
    if _default is None:
        _default = Triager()
    return _default


def triage_one(text: str, *, created_at: str | datetime | None = None, platform: str | None = None,
               message_id: str | None = None) -> TriageResult:
    """Triage one message with the built-in classifier and a shared incident tracker."""
    return _shared().triage(text, message_id=message_id, created_at=created_at, platform=platform)


def triage_batch(messages: Iterable[dict[str, Any]], *, triager: Triager | None = None) -> list[TriageResult]:
    return list((triager or _shared()).triage_many(messages))


def triage_one_safe(text: str, *, created_at: str | datetime | None = None, platform: str | None = None,
                    message_id: str | None = None, triager: Triager | None = None,
                    budget_seconds: float = 2.0) -> TriageResult:
    """Like triage_one, but never raises and never waits longer than the budget.

    On an error or a timeout it returns priority critical with needs_review, so
    the message goes to a person instead of a queue. A timed-out worker thread
    is left to finish on its own; it is a daemon and holds no locks.
    """
    outcome: list[TriageResult | BaseException] = []

    def work() -> None:
        try:
            runner = triager or _shared()
            outcome.append(runner.triage(text, message_id=message_id, created_at=created_at, platform=platform))
        except BaseException as exc:  # noqa: BLE001 - any failure must fail closed
            outcome.append(exc)

    worker = threading.Thread(target=work, daemon=True, name="triage")
    worker.start()
    worker.join(budget_seconds)
    if not outcome:
        return failed_result(message_id=message_id, error=f"triage took longer than {budget_seconds}s",
                             text=text if isinstance(text, str) else "")
    result = outcome[0]
    if isinstance(result, BaseException):
        return failed_result(message_id=message_id, error=f"triage failed: {type(result).__name__}",
                             text=text if isinstance(text, str) else "")
    return result
