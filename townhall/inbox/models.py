"""Residents, their platform identities, conversations, messages and notes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from townhall.accounts.models import Team
from townhall.connectors.models import Channel
from townhall.core.models import Council
from townhall.triage.models import Category, Priority


class Resident(models.Model):
    """A person, who may write to the council from several platforms."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="residents")
    display_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.display_name or f"Resident {self.pk}"


class Identity(models.Model):
    """One account of a resident on one platform."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="identities")
    platform = models.CharField(max_length=20)
    handle = models.CharField(max_length=320)
    display_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "identities"
        constraints = [
            models.UniqueConstraint(
                fields=["council", "platform", "handle"], name="identity_unique_per_council"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle}"


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending")
    CLOSED = "closed", _("Closed")


class Conversation(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="conversations")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="conversations")
    platform = models.CharField(max_length=20)
    thread_key = models.CharField(max_length=255)
    resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="conversations")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="assigned_conversations")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="conversations")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    safeguarding = models.BooleanField(default=False)
    language = models.CharField(max_length=8, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    # Bumped by every change an officer makes, so a stale form cannot overwrite a colleague.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    # When the oldest inbound message still waiting for an answer arrived; null if none.
    waiting_since = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    message_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "thread_key"], name="conversation_thread")
        ]
        indexes = [
            models.Index(fields=["council", "status", "waiting_since"]),
            models.Index(fields=["council", "assignee", "status"]),
            models.Index(fields=["council", "team", "status"]),
            models.Index(fields=["council", "last_message_at"]),
        ]

    def __str__(self) -> str:
        return self.subject or f"Conversation {self.pk}"


class Direction(models.TextChoices):
    IN = "in", _("From resident")
    OUT = "out", _("From council")


class Message(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="messages")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="messages")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.IN)
    # Blank only for a reply not yet accepted by the platform.
    platform_message_id = models.CharField(max_length=255, blank=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    author = models.ForeignKey(Identity, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="messages")
    author_name = models.CharField(max_length=200, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(help_text=_("When the platform says it was written."))
    received_at = models.DateTimeField(help_text=_("When Townhall stored it."))
    raw_event = models.ForeignKey("ingest.RawEvent", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="messages")
    # Set when the platform later sent different content under the same id: the
    # original is kept and the other version waits, flagged, on its raw event.
    has_conflicting_redelivery = models.BooleanField(default=False)

    # Triage, filled in on arrival.
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    category_confidence = models.FloatField(null=True, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    safeguarding = models.BooleanField(default=False)
    safeguarding_reasons = models.JSONField(default=list, blank=True)
    sentiment = models.CharField(max_length=10, blank=True)
    sentiment_score = models.FloatField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    places = models.JSONField(default=list, blank=True)
    pii = models.JSONField(default=list, blank=True)
    redacted_text = models.TextField(blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triage_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "platform_message_id"],
                condition=~Q(platform_message_id=""),
                name="message_unique_platform_id",
            )
        ]
        indexes = [
            models.Index(fields=["conversation", "created_at"]),
            models.Index(fields=["council", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.platform_message_id}"


class Note(models.Model):
    """An internal note on a conversation; never sent to the resident."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
