"""Small reads for the analytics pages, each scoped to one council.

The bigger reads have modules of their own: dashboard (the dashboard's tables),
targets (the financial year), drilldown (the conversations behind a figure).
"""

from django.http import Http404

from townhall.analytics.models import ReportSubscription, Ward
from townhall.core.models import Council


def ward_list(*, council: Council) -> list[Ward]:
    return list(Ward.objects.filter(council=council))


def ward_get(*, council: Council, pk: int) -> Ward:
    ward = Ward.objects.filter(council=council, pk=pk).first()
    if ward is None:
        raise Http404("No such ward.")
    return ward


def report_subscribed(*, council: Council, user_id: int) -> bool:
    return ReportSubscription.objects.filter(council=council, user_id=user_id).exists()
