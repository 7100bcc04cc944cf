"""Web chat: the council's own chat and form on its website, with Townhall as the platform.

A visitor's browser holds a signed token for one WebchatSession; the session is the
conversation's thread. The channel's HMAC secret never leaves the server.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.connectors.models import Channel

# How long a visitor's chat lasts unless the council sets otherwise on the setup page.
DEFAULT_IDLE_HOURS = 24
DEFAULT_MAX_DAYS = 30


class WebchatSetup(models.Model):
    """Which websites may embed a channel's chat: a browser-enforced list of origins."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, primary_key=True,
                                   related_name="webchat_setup")
    allowed_origins = models.JSONField(default=list, blank=True)
    # A chat ends when its visitor's widget has not been in touch for `idle_hours`, and
    # in any case `max_days` after it began. Its conversation stays in the inbox.
    idle_hours = models.PositiveIntegerField(default=DEFAULT_IDLE_HOURS)
    max_days = models.PositiveIntegerField(default=DEFAULT_MAX_DAYS)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Web chat setup for {self.channel}"


class SessionEnd(models.TextChoices):
    CLEARED = "cleared", _("The resident cleared the chat from their device")
    IDLE = "idle", _("The resident was away for too long")
    MAX_AGE = "max_age", _("The chat reached the longest time a chat may last")


class WebchatSession(models.Model):
    """One visitor's chat. `public_id` names it in thread keys; only the signed token
    (public_id plus a signature) lets a browser act for it."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE,
                                related_name="webchat_sessions")
    public_id = models.CharField(max_length=32, unique=True)
    origin = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    # Set when the visitor clears the chat, or when a request finds it past its time;
    # a chat past its time with no request since is ended all the same (selectors).
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=SessionEnd.choices, blank=True)

    def __str__(self) -> str:
        return f"Web chat session {self.public_id}"

    @property
    def thread_key(self) -> str:
        return f"webchat-{self.public_id}"

    @property
    def author(self) -> str:
        return f"visitor-{self.public_id}"


class WebchatReceipt(models.Model):
    """What became of one reply on the visitor's side.

    `delivered_at`: the widget confirmed it has the reply (it acknowledges at once, so
    this is within a second or so of it arriving). `seen_at`: the widget had the reply
    on screen, in a tab the visitor was looking at, for a moment. Neither proves the
    resident read it; "seen" is as close as a web page can honestly tell.
    """

    message = models.OneToOneField("inbox.Message", on_delete=models.CASCADE, primary_key=True,
                                   related_name="webchat_receipt")
    delivered_at = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Receipt for message {self.message_id}"
