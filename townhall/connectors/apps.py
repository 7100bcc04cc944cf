from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

WEBHOOK_MODES = ("background", "inline")


class ConnectorsConfig(AppConfig):
    name = "townhall.connectors"
    label = "connectors"

    def ready(self) -> None:
        mode = getattr(settings, "TOWNHALL_WEBHOOK_PROCESSING", "background")
        if mode not in WEBHOOK_MODES:
            raise ImproperlyConfigured(
                f"TOWNHALL_WEBHOOK_PROCESSING must be one of {', '.join(WEBHOOK_MODES)}, "
                f"not {mode!r}.")
        spool = getattr(settings, "TOWNHALL_WEBHOOK_SPOOL", "auto")
        if spool not in ("auto", "on", "off"):
            raise ImproperlyConfigured(
                f"TOWNHALL_WEBHOOK_SPOOL must be one of auto, on, off, not {spool!r}.")
