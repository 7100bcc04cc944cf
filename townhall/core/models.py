"""The tenant (Council) and the append-only audit trail."""

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

slug_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{1,48}$",
    _("Use 2 to 49 lower-case letters, digits or hyphens, starting with a letter or digit."),
)


class Council(models.Model):
    """A council is the tenant: every other record belongs to exactly one."""

    slug = models.SlugField(max_length=49, unique=True, validators=[slug_validator])
    name = models.CharField(max_length=200)
    welsh_language_standards = models.BooleanField(
        default=False, help_text=_("The council must answer Welsh in Welsh.")
    )
    safeguarding_email = models.EmailField(
        blank=True,
        help_text=_("The duty team's address: every safeguarding alert is emailed here at once."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Who did what, when (UTC) and from where. Rows are only ever added."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["council", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")



class RunOutcome(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class ScheduledTask(models.Model):
    """One periodic task of CELERY_BEAT_SCHEDULE, as the in-process scheduler keeps it.

    The row is also the lock (decision 0006): a run starts only by an UPDATE that takes
    a free or expired lease and finds `last_run_at` as the scheduler read it, so two
    server processes never run one task at once, nor twice for the same slot. The row
    belongs to no council; pages show it to administrators without its result text.
    """

    name = models.CharField(max_length=100, unique=True)
    # A task never run counts its first interval from here, as Celery beat does.
    first_seen_at = models.DateTimeField()
    # When the last run started; when the next is due is counted from it.
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=10, choices=RunOutcome.choices, blank=True)
    # What the task returned, shortened, for operators; it may name councils.
    last_result = models.TextField(blank=True)
    # The exception's type and words, with anything like a credential removed.
    last_error = models.TextField(blank=True)
    last_duration = models.FloatField(null=True, blank=True)
    failures_in_a_row = models.PositiveIntegerField(default=0)
    runs = models.PositiveIntegerField(default=0)
    next_due_at = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
