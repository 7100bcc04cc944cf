"""Thin Celery wrappers; each is safe to run twice (see sync.py)."""

from celery import shared_task

from townhall.open311.models import BackOfficeRequest
from townhall.open311.sync import request_send, sweep_all


@shared_task
def send_request(request_id: int) -> str:
    found = BackOfficeRequest.objects.filter(pk=request_id).first()
    return request_send(request=found).send_state if found else "missing"


@shared_task
def sweep() -> dict[int, dict[str, int]]:
    return sweep_all()
