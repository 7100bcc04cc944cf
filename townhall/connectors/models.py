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
