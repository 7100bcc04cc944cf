"""Office hours, response targets, breach warnings, approval rules and approvals."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core.models import Council
from townhall.triage.models import Category, Priority


class Nation(models.TextChoices):
    ENGLAND_AND_WALES = "england-and-wales", _("England and Wales")
    SCOTLAND = "scotland", _("Scotland")
    NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")


def default_opening_times() -> dict[str, list[list[str]]]:
    """Mon-Thu 08:45-17:15, Fri 08:45-16:45; keys are weekdays, Monday "0"."""
    week = {str(d): [["08:45", "17:15"]] for d in range(4)}
    week["4"] = [["08:45", "16:45"]]
    week["5"] = []
    week["6"] = []
    return week


class ResponseSettings(models.Model):
    """A council's office hours and when supervisors are warned of a coming breach."""

    council = models.OneToOneField(Council, on_delete=models.CASCADE,
                                   related_name="response_settings")
    # {"0": [["08:45", "17:15"]], ..., "6": []}: local times for each weekday, Monday "0".
    opening_times = models.JSONField(default=default_opening_times)
    nation = models.CharField(max_length=20, choices=Nation.choices,
                              default=Nation.ENGLAND_AND_WALES,
                              help_text=_("Whose bank holidays close the office."))
    timezone = models.CharField(max_length=40, default="Europe/London")
    warn_at_percent = models.PositiveSmallIntegerField(
        default=80, help_text=_("Warn supervisors when this share of the target has passed."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "response settings"

    def __str__(self) -> str:
        return f"Response settings for {self.council}"


class ClosureDay(models.Model):
    """A day the council's own office is shut, beyond bank holidays (a Christmas shutdown)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="closure_days")
    day = models.DateField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["council", "day"], name="closure_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}"


class ResponseTarget(models.Model):
    """Office minutes allowed for a first response (and optionally resolution).

    A row with a category applies to that category; a row without one is the fallback
    for its priority. Safeguarding always uses the critical target.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE,
                                related_name="response_targets")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    priority = models.CharField(max_length=10, choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["category__name", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["council", "category", "priority"],
                                    name="response_target_unique"),
            models.UniqueConstraint(fields=["council", "priority"],
                                    condition=models.Q(category__isnull=True),
                                    name="response_target_fallback_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category or 'Any category'} {self.priority}"


class BreachWarning(models.Model):
    """Supervisors were warned that a conversation is close to missing its target.

    One per wait: a conversation answered and then written to again can be warned again.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey("inbox.Conversation", on_delete=models.CASCADE,
                                     related_name="breach_warnings")
    waiting_since = models.DateTimeField()
    due_at = models.DateTimeField()
    warned_at = models.DateTimeField()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "waiting_since"],
                                    name="breach_warning_once_per_wait")
        ]
        indexes = [models.Index(fields=["council", "due_at"])]

    def __str__(self) -> str:
        return f"Warning for conversation {self.conversation_id}"


class ApprovalRule(models.Model):
    """Replies that match every condition set here wait for a supervisor's approval."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="approval_rules")
    name = models.CharField(max_length=120)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    # Any of these words or phrases in the reply (comma separated, any case).
    keywords = models.CharField(max_length=500, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ReplyApproval(models.Model):
    """A reply held back until a supervisor approves it (then it is sent) or rejects it."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey("inbox.Conversation", on_delete=models.CASCADE,
                                     related_name="approvals")
    message = models.OneToOneField("inbox.Message", on_delete=models.CASCADE,
                                   related_name="approval")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    # Why it was held: ["safeguarding", "rule:<id>", "welsh-override"], with labels.
    reasons = models.JSONField(default=list)
    welsh_override = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices,
                              default=ApprovalStatus.PENDING)
    original_text = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["council", "status", "created_at"])]

    def __str__(self) -> str:
        return f"Approval of message {self.message_id} ({self.status})"
