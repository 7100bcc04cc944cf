"""Web chat: the council's own chat and form on its website, with Townhall as the platform.

A visitor's browser holds a signed token for one WebchatSession; the session is the
conversation's thread. The channel's HMAC secret never leaves the server.
"""

from django.db import models

from townhall.connectors.models import Channel


class WebchatSetup(models.Model):
    """Which websites may embed a channel's chat: a browser-enforced list of origins."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, primary_key=True,
                                   related_name="webchat_setup")
    allowed_origins = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Web chat setup for {self.channel}"


class WebchatSession(models.Model):
    """One visitor's chat. `public_id` names it in thread keys; only the signed token
    (public_id plus a signature) lets a browser act for it."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE,
                                related_name="webchat_sessions")
    public_id = models.CharField(max_length=32, unique=True)
    origin = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Web chat session {self.public_id}"

    @property
    def thread_key(self) -> str:
        return f"webchat-{self.public_id}"

    @property
    def author(self) -> str:
        return f"visitor-{self.public_id}"
