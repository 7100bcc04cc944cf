"""Live incidents kept in the database between batches (IncidentTracker.export/restore).

Every message the tracker sees starts a candidate. A candidate that another message
joins becomes an incident, which is what people are shown; one that nothing joins
within the window is deleted, so the table holds incidents and the last two hours.
"""

from datetime import datetime, timedelta

from django.db.models import Count

from townhall.core.lib.db import insert_rows, new_row, update_rows
from townhall.triage.models import Incident, IncidentMember
from townhall.triage.nlp.incidents import IncidentTracker, LiveIncident
from townhall.triage.nlp.pipeline import TriageResult

WINDOW = timedelta(hours=2)


def incidents_load(*, council_id: int) -> IncidentTracker:
    """A tracker holding the council's candidates and incidents that are still live."""
    tracker = IncidentTracker(window=WINDOW)
    latest = (Incident.objects.filter(council_id=council_id).order_by("-last_at")
              .values_list("last_at", flat=True).first())
    if latest is not None:
        tracker.restore([
            LiveIncident(i.key, i.category_code, i.last_at, i.terms, i.places,
                         str(i.first_message_id or ""), i.message_count)
            for i in Incident.objects.filter(council_id=council_id,
                                             last_at__gte=latest - WINDOW)
        ])
    return tracker


def incidents_save(*, council_id: int, tracker: IncidentTracker, results: list[TriageResult],
                   ids: dict[str, str], times: dict[str, datetime]) -> None:
    """Store what this batch changed. `ids` maps the pipeline's batch ids to message ids."""
    def real_id(batch_id: str) -> str:
        return ids.get(batch_id, batch_id)

    live = {i.incident_id: i for i in tracker.export()}
    members: dict[str, set[int]] = {}
    category: dict[str, str] = {}
    for result in results:
        if result.incident is None or result.id is None:
            continue
        joined = {int(real_id(m)) for m in (result.id, *result.incident_joined)
                  if real_id(m).isdigit()}
        members.setdefault(result.incident, set()).update(joined)
        category[result.incident] = result.category
    # Candidates still live need keeping (a later message may join them); the rest
    # of this batch's singletons have expired and need nothing.
    candidates = {key: i for key, i in live.items() if key not in members}
    keys = set(members) | set(candidates)
    if not keys:
        return
    rows = {i.key: i for i in Incident.objects.filter(council_id=council_id, key__in=keys)}
    new = []
    for key in keys - set(rows):
        state = live.get(key)
        first = real_id(state.first_member) if state else ""
        seen = [times[str(m)] for m in members.get(key, ()) if str(m) in times]
        at = state.last_seen if state else max(seen)
        new.append(Incident(
            council_id=council_id, key=key,
            category_code=state.category if state else category[key],
            first_at=min(seen) if seen else at, last_at=at,
            first_message_id=int(first) if first.isdigit() else None,
            terms=state.terms if state else [], places=state.places if state else [],
            message_count=1))
    rows.update({i.key: i for i in insert_rows(Incident, new)})
    if members:
        already = set(IncidentMember.objects.filter(
            message_id__in=[m for ms in members.values() for m in ms]
        ).values_list("message_id", flat=True))
        insert_rows(IncidentMember, [
            new_row(IncidentMember, incident_id=rows[key].pk, message_id=m)
            for key, ms in members.items() for m in sorted(ms) if m not in already
        ])
        counts = dict(IncidentMember.objects.filter(incident__in=[rows[k] for k in members])
                      .values("incident").annotate(n=Count("id")).values_list("incident", "n"))
        for key in members:
            rows[key].message_count = counts.get(rows[key].pk, 1)
    for key, row in rows.items():
        if key in live:
            row.last_at = max(row.last_at, live[key].last_seen)
            row.terms, row.places = live[key].terms, live[key].places
    update_rows(Incident, list(rows.values()), ["last_at", "terms", "places", "message_count"])
    horizon = max(i.last_at for i in rows.values()) - WINDOW
    Incident.objects.filter(council_id=council_id, message_count__lt=2,
                            last_at__lt=horizon).delete()
