"""Streaming incident grouping: many messages about one burst main share an id.

Memory is bounded: only incidents seen within the time window are kept, and at
most `max_open` of them; older ones are forgotten first.
"""

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import chain
from operator import attrgetter

from townhall.triage.nlp.text import normalise, stems

_STOP = frozenset(
    "the a an and or but to of in on at for by with from is are was were be been it its this that "
    "there here i we you they he she my our your their me us them has have had not no so very "
    "please can could would will just still again outside near opposite road street lane avenue "
    "council report reported any all some more up down out over been being".split()
)
# Categories where a shared topic rarely means a shared incident.
# Bounds on the work per message: the newest few incidents per shared term.
MAX_CANDIDATES = 25
PER_KEY = 8
_NOT_INCIDENTS = frozenset({"compliments", "general_enquiry"})


# Incidents are grouped on the opening of a message.
MAX_CHARS = 2000


def _key_terms(text: str) -> frozenset[str]:
    return key_terms(stems(normalise(text[:MAX_CHARS])))


def key_terms(stemmed: Iterable[str]) -> frozenset[str]:
    """The terms grouping compares, from the stems of the first MAX_CHARS characters."""
    terms = set(stemmed)
    terms -= _STOP
    return frozenset(s for s in terms if len(s) > 2 and not s.isdigit())


@dataclass
class _Incident:
    incident_id: str
    category: str
    last_seen: datetime
    terms: frozenset[str]
    places: frozenset[str]
    members: list[str] = field(default_factory=list)


_LAST_SEEN = attrgetter("last_seen")


@dataclass(frozen=True)
class Assignment:
    """incident_id is None for a singleton so far; `joined` lists earlier members
    that should now be shown with this id (the app updates them)."""

    incident_id: str | None
    joined: tuple[str, ...] = ()


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    # A naive time is taken as UTC so that comparisons never raise.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class LiveIncident:
    """An incident (or a one-message candidate) as it is saved between batches.

    The web app may run several processes, so live incidents are kept in the database:
    each batch restores them into a fresh tracker and saves what changed.
    """

    incident_id: str
    category: str
    last_seen: datetime
    terms: list[str]
    places: list[str]
    first_member: str
    member_count: int = 1


class IncidentTracker:
    def __init__(
        self, *, window: timedelta = timedelta(hours=2), max_open: int = 5000, min_similarity: float = 0.34
    ) -> None:
        self.window = window
        self.max_open = max_open
        self.min_similarity = min_similarity
        self._open: OrderedDict[str, _Incident] = OrderedDict()
        self._clock = datetime(1970, 1, 1, tzinfo=UTC)
        self._counter = 0
        # Inverted index from a term or place to recent incident ids, so each
        # message is compared with a few candidates, not every open incident.
        self._index: dict[str, list[str]] = {}

    def _expire(self, now: datetime) -> None:
        horizon = now - self.window
        # Incidents are kept in order of last update, so expired ones sit at the front.
        while self._open:
            first = next(iter(self._open.values()))
            if first.last_seen >= horizon:
                break
            self._open.popitem(last=False)
        while len(self._open) > self.max_open:
            self._open.popitem(last=False)
        if len(self._index) > 20 * self.max_open:
            self._index = {k: [i for i in v if i in self._open] for k, v in self._index.items()}
            self._index = {k: v for k, v in self._index.items() if v}

    def _candidates(self, keys: frozenset[str]) -> list[_Incident]:
        index = self._index
        # Newest first for each key; a dict keeps the first sighting of each id.
        ids = dict.fromkeys(chain.from_iterable(reversed(index[key][-PER_KEY:]) for key in keys if key in index))
        seen = [inc for inc in map(self._open.get, ids) if inc is not None]
        seen.sort(key=_LAST_SEEN, reverse=True)
        return seen[:MAX_CANDIDATES]

    def _remember(self, incident_id: str, keys: frozenset[str]) -> None:
        for key in keys:
            ids = self._index.setdefault(key, [])
            if not ids or ids[-1] != incident_id:
                ids.append(incident_id)
                if len(ids) > 50:
                    del ids[:-50]

    def _similar(self, inc: _Incident, category: str, terms: frozenset[str], places: frozenset[str]) -> bool:
        overlap = len(terms & inc.terms) / max(1, min(len(terms), len(inc.terms)))
        same_place = bool(places & inc.places)
        if inc.category == category:
            return (
                (same_place and overlap >= 0.2) or overlap >= self.min_similarity + 0.16 or (same_place and not terms)
            )
        # A different label for the same event still groups when the words agree strongly.
        return same_place and overlap >= 0.5

    def assign(
        self,
        *,
        message_id: str,
        text: str,
        category: str,
        places: set[str] | frozenset[str],
        created_at: datetime | None,
        stems: Iterable[str] | None = None,
    ) -> Assignment:
        """Group one message; `stems` may carry stems(normalise(text[:MAX_CHARS])) if known."""
        now = created_at or self._clock
        self._clock = max(self._clock, now)
        self._expire(self._clock)
        if category in _NOT_INCIDENTS:
            return Assignment(None)
        terms = _key_terms(text) if stems is None else key_terms(stems)
        place_set = frozenset(places)
        if not terms and not place_set:
            return Assignment(None)
        keys = terms | {f"@{p}" for p in place_set} if place_set else terms
        window = self.window
        for inc in self._candidates(keys):
            if abs(now - inc.last_seen) > window:
                continue
            # Another category only groups at the same place; skip the rest cheaply.
            if inc.category != category and (not place_set or place_set.isdisjoint(inc.places)):
                continue
            if self._similar(inc, category, terms, place_set):
                joined = tuple(inc.members) if len(inc.members) == 1 else ()
                inc.members.append(message_id)
                if len(inc.members) > 2:
                    inc.members = inc.members[:2]  # Only the first member is ever needed again.
                inc.last_seen = max(inc.last_seen, now)
                inc.places = inc.places | place_set
                self._open.move_to_end(inc.incident_id)
                self._remember(inc.incident_id, keys)
                return Assignment(inc.incident_id, joined)
        self._counter += 1
        digest = hashlib.sha1(
            f"{message_id}|{now.isoformat()}|{self._counter}".encode(), usedforsecurity=False
        ).hexdigest()[:12]
        incident_id = f"inc_{digest}"
        self._open[incident_id] = _Incident(incident_id, category, now, terms, place_set, [message_id])
        self._remember(incident_id, keys)
        return Assignment(None)

    def restore(self, incidents: Iterable[LiveIncident]) -> None:
        """Take back incidents saved by `export`, oldest first."""
        for live in sorted(incidents, key=lambda i: i.last_seen):
            terms, places = frozenset(live.terms), frozenset(live.places)
            # The tracker only needs to know whether the first member still has to be
            # told it joined an incident, so two entries stand for "two or more".
            members = [live.first_member] * min(live.member_count, 2)
            self._open[live.incident_id] = _Incident(
                live.incident_id, live.category, live.last_seen, terms, places, members)
            self._remember(live.incident_id, terms | {f"@{p}" for p in places})
            self._clock = max(self._clock, live.last_seen)

    def export(self) -> list[LiveIncident]:
        """The incidents still live, to save until the next batch."""
        return [
            LiveIncident(i.incident_id, i.category, i.last_seen, sorted(i.terms),
                         sorted(i.places), i.members[0] if i.members else "", len(i.members))
            for i in self._open.values()
        ]
