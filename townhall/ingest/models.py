"""Raw events: every incoming item, stored before anything else happens to it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.connectors.models import Channel
from townhall.core.models import Council


class RawStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be processed")
    PROCESSED = "processed", _("Processed")
    CONFLICT = "conflict", _("Same id, different content: kept for review")
    FAILED = "failed", _("Failed: can be retried")
    REJECTED = "rejected", _("Rejected: not a valid message")


class Source(models.TextChoices):
    IMPORT = "import", _("File import")
    WEBHOOK = "webhook", _("Webhook")
    API = "api", _("API")
    CONNECTOR = "connector", _("Connector")


class RawEvent(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="raw_events")
    source = models.CharField(max_length=12, choices=Source.choices)
    platform_message_id = models.CharField(max_length=255, blank=True)
    content_hash = models.CharField(max_length=64)
    payload = models.JSONField(null=True, blank=True)
    # The body as received when it could not be parsed, so nothing sent is lost.
    unparsed_body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=RawStatus.choices,
                              default=RawStatus.PENDING)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "platform_message_id", "content_hash"],
                name="raw_event_unique_content",
            )
        ]
        indexes = [models.Index(fields=["council", "status"])]

    def __str__(self) -> str:
        return f"{self.source} {self.platform_message_id} ({self.status})"
