"""The council's own taxonomy of service categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core.models import Council


class Priority(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


# Sorting by this puts the most urgent first.
PRIORITY_RANK = {Priority.CRITICAL: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class Category(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    group = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    examples = models.JSONField(default=list, blank=True)
    self_service_url = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="category_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Incident(models.Model):
    """Several messages about one thing that happened (a burst main, a fallen tree)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="incidents")
    key = models.CharField(max_length=40)
    category_code = models.CharField(max_length=60)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    message_count = models.PositiveIntegerField(default=0)
    first_message = models.ForeignKey("inbox.Message", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    # What the grouping compares new messages with, kept while the incident is live.
    terms = models.JSONField(default=list)
    places = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="incident_key_unique")
        ]
        indexes = [models.Index(fields=["council", "last_at"])]

    def __str__(self) -> str:
        return f"{self.category_code} incident ({self.message_count} messages)"


class IncidentMember(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="members")
    message = models.OneToOneField("inbox.Message", on_delete=models.CASCADE,
                                   related_name="incident_membership")

    def __str__(self) -> str:
        return f"Message {self.message_id} in incident {self.incident_id}"


class SafeguardingAlert(models.Model):
    """A message that must reach a person at once: shown in the app and emailed."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    message = models.OneToOneField("inbox.Message", on_delete=models.CASCADE,
                                   related_name="safeguarding_alert")
    conversation = models.ForeignKey("inbox.Conversation", on_delete=models.CASCADE,
                                     related_name="safeguarding_alerts")
    reasons = models.JSONField(default=list)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)
    acknowledged_by = models.ForeignKey("auth.User", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["council", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"Alert for message {self.message_id}"


class TrainedModelRecord(models.Model):
    """A model trained from a council's own labelled history and officers' corrections."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    training_rows = models.PositiveIntegerField(default=0)
    accuracy = models.FloatField(null=True, blank=True)
    macro_f1 = models.FloatField(null=True, blank=True)
    # The same measure for the model it replaced, on the same held-back rows.
    previous_accuracy = models.FloatField(null=True, blank=True)
    previous_macro_f1 = models.FloatField(null=True, blank=True)
    is_active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Model of {self.created_at:%Y-%m-%d %H:%M}"
