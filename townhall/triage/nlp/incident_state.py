"""Save and restore an IncidentTracker's live incidents.

The web app may run several processes, so live incidents are kept in the database
between batches: each batch restores them into a fresh tracker and saves the result.
"""

from dataclasses import dataclass
from datetime import datetime

from townhall.triage.nlp.incidents import IncidentTracker, _Incident


@dataclass
class LiveIncident:
    incident_id: str
    category: str
    last_seen: datetime
    terms: list[str]
    places: list[str]
    first_member: str
    member_count: int = 1


def restore(tracker: IncidentTracker, incidents: list[LiveIncident]) -> None:
    for live in sorted(incidents, key=lambda i: i.last_seen):
        terms, places = frozenset(live.terms), frozenset(live.places)
        # The tracker only needs to know whether the first member still has to be told
        # it joined an incident, so two entries stand for "two or more".
        members = [live.first_member] * min(live.member_count, 2)
        tracker._open[live.incident_id] = _Incident(
            live.incident_id, live.category, live.last_seen, terms, places, members)
        tracker._remember(live.incident_id, terms | {f"@{p}" for p in places})
        tracker._clock = max(tracker._clock, live.last_seen)


def export(tracker: IncidentTracker) -> list[LiveIncident]:
    return [
        LiveIncident(i.incident_id, i.category, i.last_seen, sorted(i.terms), sorted(i.places),
                     i.members[0] if i.members else "", len(i.members))
        for i in tracker._open.values()
    ]
