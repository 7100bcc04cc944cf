"""Open311 GeoReport v2, both ways.

Client side: the council's back office (BackOffice), which category goes to which
service_code (ServiceMapping), the requests officers hand to it (BackOfficeRequest) and
what the back office says about them since (RequestUpdate).

Server side: keys for systems that report to Townhall (ApiKey) and what they reported
(Submission), each of which becomes a conversation in the inbox.
"""

import os

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core.lib.crypto import decrypt, encrypt
from townhall.core.models import Council
from townhall.triage.models import Category


class Format(models.TextChoices):
    JSON = "json", "JSON"
    XML = "xml", "XML"


class BackOffice(models.Model):
    """The council's back-office Open311 endpoint."""

    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120, default="Back office")
    base_url = models.URLField(
        help_text=_("The endpoint, for example https://311.example.gov.uk/open311/v2"))
    jurisdiction_id = models.CharField(max_length=120, blank=True)
    # The API key: either the name of an environment variable, or encrypted here.
    api_key_env = models.CharField(max_length=100, blank=True)
    api_key_encrypted = models.TextField(blank=True)
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.JSON)
    timeout_seconds = models.PositiveSmallIntegerField(default=10)
    # mySociety's extension: GET servicerequestupdates.{format}?start_date=...
    use_updates_extension = models.BooleanField(default=False)
    # Look for tracked-link tokens in reports residents make on the council's own forms.
    match_self_service = models.BooleanField(default=True)
    # An officer's reply telling a resident about an update waits for a supervisor.
    updates_need_approval = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    updates_checked_until = models.DateTimeField(null=True, blank=True)
    reports_checked_until = models.DateTimeField(null=True, blank=True)
    last_sweep_at = models.DateTimeField(null=True, blank=True)
    last_sweep_error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

    @property
    def api_key(self) -> str:
        """The key from the named environment variable, else the stored one, else ""."""
        if self.api_key_env:
            return os.environ.get(self.api_key_env, "")
        return decrypt(self.api_key_encrypted) if self.api_key_encrypted else ""

    def set_api_key(self, raw: str) -> None:
        self.api_key_encrypted = encrypt(raw) if raw else ""


class ServiceMapping(models.Model):
    """Which back-office service_code a category's problems go to."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    category = models.OneToOneField(Category, on_delete=models.CASCADE,
                                    related_name="open311_mapping")
    service_code = models.CharField(max_length=100)
    # The rule: hand every new conversation in this category to the back office without
    # waiting for an officer (never safeguarding or critical ones, never contact details).
    send_automatically = models.BooleanField(default=False)
    automatic_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.category} -> {self.service_code}"


class SendState(models.TextChoices):
    QUEUED = "queued", _("Waiting to send")
    SENT = "sent", _("Sent to the back office")
    FAILED = "failed", _("Not sent")


class BackOfficeRequest(models.Model):
    """A service request Townhall made in the back office for one conversation."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    conversation = models.OneToOneField("inbox.Conversation", on_delete=models.CASCADE,
                                        related_name="backoffice_request")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    service_code = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    address_string = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    # Only when the resident agreed, and only what they gave the council.
    contact_consent = models.BooleanField(default=False)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    send_state = models.CharField(max_length=10, choices=SendState.choices,
                                  default=SendState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    service_request_id = models.CharField(max_length=100, blank=True)
    token = models.CharField(max_length=100, blank=True)
    service_notice = models.TextField(blank=True)
    status = models.CharField(max_length=40, blank=True)
    status_notes = models.TextField(blank=True)
    remote_updated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    by_rule = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["council", "send_state", "next_attempt_at"]),
            models.Index(fields=["council", "service_request_id"]),
        ]

    def __str__(self) -> str:
        return self.service_request_id or f"Request {self.pk} (not yet numbered)"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class UpdateSource(models.TextChoices):
    POLL = "poll", _("Checked by Townhall")
    PUSH = "push", _("Sent by the back office")


class RequestUpdate(models.Model):
    """What the back office said about a request: a status, and sometimes a note."""

    request = models.ForeignKey(BackOfficeRequest, on_delete=models.CASCADE,
                                related_name="updates")
    update_id = models.CharField(max_length=120)
    status = models.CharField(max_length=40)
    description = models.TextField(blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    updated_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=4, choices=UpdateSource.choices)
    # The reply that told the resident, once an officer sent one.
    reply = models.ForeignKey("inbox.Message", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")

    class Meta:
        ordering = ["updated_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "update_id"], name="request_update_once")
        ]

    def __str__(self) -> str:
        return f"{self.status} at {self.updated_at:%Y-%m-%d %H:%M}"


class ApiKey(models.Model):
    """A key for a system that reports problems to Townhall. Only its hash is stored."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Submission(models.Model):
    """A service request POSTed to Townhall's own Open311 endpoint."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    api_key = models.ForeignKey(ApiKey, null=True, on_delete=models.SET_NULL, related_name="+")
    token = models.CharField(max_length=32, unique=True)
    conversation = models.OneToOneField("inbox.Conversation", null=True, blank=True,
                                        on_delete=models.SET_NULL,
                                        related_name="open311_submission")
    category = models.ForeignKey(Category, null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    service_code = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    address_string = models.CharField(max_length=300, blank=True)
    address_id = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    requested_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["council", "requested_at"])]

    def __str__(self) -> str:
        return f"Open311 submission {self.token}"
