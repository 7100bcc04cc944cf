"""Live incidents kept in the database between batches (see nlp/incident_state.py).

Every message the tracker sees starts a candidate; a candidate with two or more
members is an incident, which is what people are shown.
"""

from datetime import timedelta

from django.db.models import Count

from townhall.core.lib.db import insert_rows, update_rows
from townhall.triage.models import Incident, IncidentMember
from townhall.triage.nlp.incident_state import LiveIncident, export, restore
from townhall.triage.nlp.incidents import IncidentTracker
from townhall.triage.nlp.pipeline import TriageResult

WINDOW = timedelta(hours=2)


def incidents_load(*, council_id: int) -> IncidentTracker:
    """A tracker holding the council's incidents that are still live."""
    tracker = IncidentTracker(window=WINDOW)
    latest = (Incident.objects.filter(council_id=council_id).order_by("-last_at")
              .values_list("last_at", flat=True).first())
    if latest is None:
        return tracker
    live = list(Incident.objects.filter(council_id=council_id, last_at__gte=latest - WINDOW))
    first_members: dict[int, int] = {}
    for incident_id, message_id in (IncidentMember.objects.filter(incident__in=live)
                                    .order_by("-message_id")
                                    .values_list("incident_id", "message_id")):
        first_members[incident_id] = message_id
    restore(tracker, [
        LiveIncident(i.key, i.category_code, i.last_at, i.terms, i.places,
                     str(first_members.get(i.pk, "")), i.message_count)
        for i in live
    ])
    return tracker


def incidents_save(*, council_id: int, tracker: IncidentTracker,
                   results: list[TriageResult]) -> None:
    """Store the incidents this batch touched and which messages belong to each."""
    state = {live.incident_id: live for live in export(tracker)}
    key_of_first = {live.first_member: key for key, live in state.items()}
    pairs: dict[int, str] = {}
    for result in results:
        if result.id is None:
            continue
        key = result.incident or key_of_first.get(result.id)
        if key is None:
            continue
        pairs[int(result.id)] = key
        for earlier in result.incident_joined:
            if earlier.isdigit():
                pairs[int(earlier)] = key
    touched = set(pairs.values()) & set(state)
    if not touched:
        return
    incidents = {i.key: i for i in Incident.objects.filter(council_id=council_id,
                                                           key__in=touched)}
    new = [Incident(council_id=council_id, key=key, category_code=state[key].category,
                    first_at=state[key].last_seen, last_at=state[key].last_seen,
                    terms=state[key].terms, places=state[key].places)
           for key in touched if key not in incidents]
    incidents.update({i.key: i for i in insert_rows(Incident, new)})
    already = set(IncidentMember.objects.filter(message_id__in=list(pairs))
                  .values_list("message_id", flat=True))
    insert_rows(IncidentMember, [
        IncidentMember(incident_id=incidents[key].pk, message_id=message_id)
        for message_id, key in pairs.items() if message_id not in already and key in incidents
    ])
    counts = dict(IncidentMember.objects.filter(incident__in=incidents.values())
                  .values("incident").annotate(n=Count("id")).values_list("incident", "n"))
    for key, incident in incidents.items():
        incident.last_at = max(incident.last_at, state[key].last_seen)
        incident.terms, incident.places = state[key].terms, state[key].places
        incident.message_count = counts.get(incident.pk, 0)
    update_rows(Incident, list(incidents.values()),
                ["last_at", "terms", "places", "message_count"])
