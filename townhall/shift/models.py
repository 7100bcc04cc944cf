"""Channel shift: self-service routes, tracked links, and the savings ledger."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core.lib.crypto import decrypt, encrypt
from townhall.core.models import Council
from townhall.triage.models import Category

# Socitm's Channel Value Benchmarking (2011 data from about 200 councils, published 2012).
SOCITM_2012 = "Socitm Channel Value Benchmarking 2012"
DEFAULT_FACE_TO_FACE_PENCE = 862
DEFAULT_PHONE_PENCE = 283
DEFAULT_WEB_PENCE = 15


class ServiceRoute(models.Model):
    """Where a resident can do it themselves, for one category: the council's own form."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    category = models.OneToOneField(Category, on_delete=models.CASCADE,
                                    related_name="service_route")
    url_template = models.CharField(
        _("Form address"), max_length=500,
        help_text=_("The full address of the online form. It can include {category}, "
                    "{postcode}, {street}, {place} and {reference}, which Townhall fills in."))
    form_category = models.CharField(
        _("The form's name for this category"), max_length=120, blank=True,
        help_text=_("What goes in {category}, if the form uses its own name. Leave blank to "
                    "use the category's name."))
    resident_action = models.TextField(
        _("What the resident does there"),
        help_text=_("In plain words, for the suggested reply. For example: Mark the pothole on "
                    "the map and add a photo. You can follow its progress online."))
    resident_action_cy = models.TextField(
        _("What the resident does there, in Welsh"), blank=True)
    is_reportable = models.BooleanField(
        _("A problem residents report"), default=True,
        help_text=_("Townhall suggests signposting the form only for reportable problems."))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Route for {self.category}"


class Baseline(models.TextChoices):
    PHONE = "phone", _("Phone call")
    FACE_TO_FACE = "face_to_face", _("Face-to-face visit")


class ShiftSettings(models.Model):
    """A council's unit costs, in pence, and the secret for the confirmation webhook."""

    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("Where these costs come from"), max_length=200,
                              default=SOCITM_2012)
    face_to_face_pence = models.PositiveIntegerField(default=DEFAULT_FACE_TO_FACE_PENCE)
    phone_pence = models.PositiveIntegerField(default=DEFAULT_PHONE_PENCE)
    web_pence = models.PositiveIntegerField(default=DEFAULT_WEB_PENCE)
    # What answering one social media conversation costs the council in staff time.
    social_pence = models.PositiveIntegerField(default=0)
    baseline = models.CharField(max_length=20, choices=Baseline.choices, default=Baseline.PHONE)
    webhook_secret_encrypted = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "shift settings"

    def __str__(self) -> str:
        return f"Unit costs for council {self.council_id}"

    @property
    def webhook_secret(self) -> str:
        return decrypt(self.webhook_secret_encrypted) if self.webhook_secret_encrypted else ""

    def set_webhook_secret(self, secret: str) -> None:
        self.webhook_secret_encrypted = encrypt(secret)


class TrackedLink(models.Model):
    """The /go/<token> link for one conversation and one route.

    Clicks are counted without storing who clicked: `visitors` counts distinct visitors
    (see LinkVisitor) and `repeat_clicks` every later click by one of them.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey("inbox.Conversation", on_delete=models.CASCADE,
                                     related_name="tracked_links")
    route = models.ForeignKey(ServiceRoute, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="links")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    token = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    first_clicked_at = models.DateTimeField(null=True, blank=True)
    visitors = models.PositiveIntegerField(default=0)
    repeat_clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "route"], name="tracked_link_once")
        ]
        indexes = [models.Index(fields=["council", "created_at"])]

    def __str__(self) -> str:
        return f"/go/{self.token}"


class LinkVisitor(models.Model):
    """One visitor of one link, known only by a keyed hash that cannot be reversed
    without the server's secret key: no address, browser or cookie is kept."""

    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="+")
    visitor_key = models.CharField(max_length=32)
    first_at = models.DateTimeField()
    clicks = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "visitor_key"], name="link_visitor_once")
        ]

    def __str__(self) -> str:
        return f"Visitor of link {self.link_id}"


class ShiftSource(models.TextChoices):
    OPEN311_CLIENT = "open311_client", _("Back office, over Open311")
    OPEN311_SERVER = "open311_server", _("Open311 report to Townhall")
    WEBHOOK = "webhook", _("Confirmation webhook")


class LedgerEntry(models.Model):
    """What one shifted conversation saved, with the costs used at the time.

    The unit costs are copied onto the entry, so a council that changes its costs later
    changes future entries only, never the history.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    # Kept if the conversation is erased: the saving happened all the same.
    conversation = models.OneToOneField("inbox.Conversation", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="ledger_entry")
    conversation_reference = models.CharField(max_length=20)
    link = models.ForeignKey(TrackedLink, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    category_name = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=20, choices=ShiftSource.choices)
    external_reference = models.CharField(max_length=100, blank=True)
    # When the resident first wrote: the month a saving is counted in.
    contact_at = models.DateTimeField()
    shifted_at = models.DateTimeField()
    baseline = models.CharField(max_length=20, choices=Baseline.choices)
    would_have_cost_pence = models.PositiveIntegerField()
    cost_pence = models.PositiveIntegerField()
    saved_pence = models.IntegerField()
    assumptions = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contact_at", "-id"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["council", "contact_at"])]

    def __str__(self) -> str:
        return f"{self.conversation_reference} saved {self.saved_pence}p"
