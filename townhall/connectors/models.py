"""A Channel is one council account on one platform."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core.lib.crypto import decrypt, encrypt
from townhall.core.models import Council


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    NEXTDOOR = "nextdoor", "Nextdoor"
    YOUTUBE = "youtube", "YouTube"
    LINKEDIN = "linkedin", "LinkedIn"
    TIKTOK = "tiktok", "TikTok"
    WHATSAPP = "whatsapp", "WhatsApp"
    EMAIL = "email", _("Email")
    WEBCHAT = "webchat", _("Web chat")
    WEBFORM = "webform", _("Web form")
    RSS = "rss", _("News and feeds")
    # Reports other systems send to Townhall's own GeoReport v2 endpoint (townhall.open311).
    OPEN311 = "open311", _("Open311 reports")
    OTHER = "other", _("Other")


def new_channel_key() -> str:
    return secrets.token_urlsafe(12)


class Channel(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="channels")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=200, help_text=_("The account name on the platform."))
    name = models.CharField(max_length=200, blank=True)
    # The key names the channel in webhook URLs; it is public, unlike the secret.
    key = models.CharField(max_length=32, unique=True, default=new_channel_key)
    webhook_secret_encrypted = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "platform", "handle"], name="channel_unique_per_council"
            )
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_platform_display()} {self.handle}"

    @property
    def webhook_secret(self) -> str:
        return decrypt(self.webhook_secret_encrypted) if self.webhook_secret_encrypted else ""

    def set_webhook_secret(self, secret: str) -> None:
        self.webhook_secret_encrypted = encrypt(secret)


class ChannelCredentials(models.Model):
    """How a channel reaches its platform: plain settings, and secrets encrypted at rest.

    `settings` holds non-secret values (a page id, a base URL) and, for each secret,
    optionally the name of an environment variable to read it from, such as
    {"app_secret_env": "TOWNHALL_FACEBOOK_APP_SECRET"}. A secret named in neither place
    is missing, and the connector says so in plain words.
    """

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, primary_key=True,
                                   related_name="credentials")
    settings = models.JSONField(default=dict, blank=True)
    secrets_encrypted = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The last `check()` the connect pages ran: {"at", "credentials_ok", "reachable",
    # "lines"}. Check lines never hold a secret, only names and plain words.
    last_check = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Credentials for {self.channel}"


class ChannelCursor(models.Model):
    """Where polling a channel got to. Saved only after the polled messages are committed."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, primary_key=True,
                                   related_name="cursor")
    position = models.JSONField(default=dict, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Cursor for {self.channel}"


class Delivery(models.Model):
    """The state of sending one outbound reply: its schedule and who holds it now.

    `claimed_until` is a lease so two workers never send the same reply at once;
    `maybe_sent` records that an attempt may have reached the platform without an
    answer, so the next attempt must look for the reply before sending it again.
    """

    message = models.OneToOneField("inbox.Message", on_delete=models.CASCADE, primary_key=True,
                                   related_name="delivery")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    maybe_sent = models.BooleanField(default=False)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Delivery of message {self.message_id}"


class AttemptOutcome(models.TextChoices):
    SENT = "sent", _("Sent")
    FOUND = "found", _("Found already sent")
    RETRY = "retry", _("Will try again")
    FAILED = "failed", _("Not sent")


class DeliveryAttempt(models.Model):
    message = models.ForeignKey("inbox.Message", on_delete=models.CASCADE,
                                related_name="delivery_attempts")
    at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=AttemptOutcome.choices)
    error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.outcome} at {self.at:%Y-%m-%d %H:%M}"


class WebhookStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be processed")
    FAILED = "failed", _("Failed: will be tried again")


class WebhookBatch(models.Model):
    """One verified webhook body, committed before the platform gets its answer.

    Parsing and ingest run after the answer (decision 508). The row lives until its
    items are stored, so a crash in between loses nothing: the sweep finds it. A batch
    that is processed is deleted, since its items are raw events by then.
    """

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE,
                                related_name="webhook_batches")
    body = models.BinaryField()
    received_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=WebhookStatus.choices,
                              default=WebhookStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # A lease, as for replies, so the sweep and a worker never process it at once.
    claimed_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self) -> str:
        return f"Webhook body {self.pk} for channel {self.channel_id} ({self.status})"
