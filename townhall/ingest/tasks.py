from celery import shared_task

from townhall.ingest.models import RawEvent
from townhall.ingest.services import raw_events_process


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def process_raw_events(raw_event_ids: list[int]) -> int:
    raws = list(RawEvent.objects.filter(pk__in=raw_event_ids).order_by("id"))
    return raw_events_process(raw_events=raws).created
