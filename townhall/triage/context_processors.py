from typing import Any

from django.http import HttpRequest

from townhall.triage.models import SafeguardingAlert


def safeguarding(request: HttpRequest) -> dict[str, Any]:
    """How many safeguarding alerts nobody has acknowledged yet: shown on every page."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {"open_alert_count": SafeguardingAlert.objects.filter(
        council_id=membership.council_id, acknowledged_at__isnull=True).count()}
