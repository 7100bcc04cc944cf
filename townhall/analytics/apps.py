from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """How is it looking? Daily roll-ups, the dashboard, targets by financial year and
    the committee report."""

    name = "townhall.analytics"
    label = "analytics"
