"""Residents, their platform identities, conversations, messages and notes."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
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


# The queue order as one indexed number: safeguarding first, then conversations still
# waiting for an answer, then priority. The database keeps it in step with its inputs,
# whoever writes them (ingest, triage, the demo loader or an officer).
URGENCY = (
    Case(When(safeguarding=True, then=Value(0)), default=Value(10))
    + Case(When(waiting_since__isnull=True, then=Value(5)), default=Value(0))
    + Case(
        When(priority="critical", then=Value(0)),
        When(priority="high", then=Value(1)),
        When(priority="normal", then=Value(2)),
        default=Value(3),
    )
)


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
    # Office seconds (the council's hours, less bank holidays and closures) from the
    # first message to the first reply and to closing: kept beside the clock times so
    # reports need no office-hours arithmetic. Filled by townhall.respond.
    first_response_office_seconds = models.PositiveIntegerField(null=True, blank=True)
    resolution_office_seconds = models.PositiveIntegerField(null=True, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    message_count = models.PositiveIntegerField(default=0)
    urgency = models.GeneratedField(expression=URGENCY, output_field=models.SmallIntegerField(),
                                    db_persist=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "thread_key"], name="conversation_thread")
        ]
        indexes = [
            models.Index(fields=["council", "status", "urgency", "waiting_since", "id"],
                         name="conversation_queue"),
            models.Index(fields=["council", "status", "waiting_since"]),
            models.Index(fields=["council", "last_message_at"]),
            # One per inbox filter, each in queue order, so a filtered page reads its 51
            # rows in order however rare the value is (issue 3). Safeguarding needs none:
            # it is a range of urgency on the queue index.
            *[models.Index(fields=["council", facet, "status", "urgency", "waiting_since", "id"],
                           name=f"conversation_queue_{facet}")
              for facet in ("team", "assignee", "category", "platform", "priority",
                            "language")],
            # The snoozed list: a few hundred rows among tens of thousands open.
            models.Index(fields=["council", "status", "snoozed_until"],
                         condition=Q(snoozed_until__isnull=False), name="conversation_snoozed"),
        ]

    def __str__(self) -> str:
        return self.subject or f"Conversation {self.pk}"

    @property
    def reference(self) -> str:
        """The reference an officer quotes to a resident."""
        return f"TH-{self.pk:06d}"


class Direction(models.TextChoices):
    IN = "in", _("From resident")
    OUT = "out", _("From council")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued to send")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent")
    # Held for a supervisor (townhall.respond approvals): never sent unless approved.
    AWAITING_APPROVAL = "approval", _("Waiting for approval")
    REJECTED = "rejected", _("Not approved")


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

    # Replies only: where the reply is on its way to the platform, and the key that makes
    # a double-clicked Send create one message, not two.
    delivery_status = models.CharField(max_length=10, choices=DeliveryStatus.choices, blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

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

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.conversation_id}"


class TriageCorrection(models.Model):
    """An officer's correction of triage's label, kept for retraining the classifier."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="corrections")
    # The message whose label was corrected: the latest one from the resident, if any.
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    field = models.CharField(max_length=20)
    old_value = models.CharField(max_length=120, blank=True)
    new_value = models.CharField(max_length=120, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["council", "field", "at"])]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} -> {self.new_value}"


class ReplyLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    WELSH = "cy", _("Welsh")


class SavedReply(models.Model):
    """A reply the council answers often, in English, Welsh or both.

    Merge fields: {resident_name}, {reference}, {self_service_link}, {officer_name},
    {category}. Picking one fills the reply in the resident's language.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="saved_replies")
    title = models.CharField(_("title in English"), max_length=120, blank=True)
    body = models.TextField(_("text in English"), blank=True)
    title_cy = models.CharField(_("title in Welsh"), max_length=120, blank=True)
    body_cy = models.TextField(_("text in Welsh"), blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title", "title_cy", "id"]
        verbose_name_plural = "saved replies"

    def __str__(self) -> str:
        return self.title or self.title_cy

    def text_in(self, language: str) -> str:
        """The text for a resident writing in `language`, falling back to the other one."""
        if language == ReplyLanguage.WELSH:
            return self.body_cy or self.body
        return self.body or self.body_cy

    def title_in(self, language: str) -> str:
        if language == ReplyLanguage.WELSH:
            return self.title_cy or self.title
        return self.title or self.title_cy


class Viewer(models.Model):
    """Who has a conversation open now: a heartbeat from the page, kept for a minute."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="viewer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} viewing {self.conversation_id}"
