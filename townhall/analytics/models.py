"""Roll-ups behind the dashboard, the council's targets, wards and report subscriptions.

ConversationFact and Rollup are derived data: `townhall.analytics.rollups` rebuilds them
from conversations and messages, so they can always be thrown away and built again.
Decision record 0701 explains how they are kept in step.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from townhall.analytics.buckets import BUCKETS
from townhall.core.models import Council


class Ward(models.Model):
    """An electoral ward, found from the postcode districts and streets in a message."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="wards")
    name = models.CharField(_("name"), max_length=120)
    # Outward codes such as "AC1"; street names as residents write them.
    postcode_districts = models.JSONField(default=list, blank=True)
    streets = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="ward_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ConversationFact(models.Model):
    """What reports need of one conversation, worked out once: its day, dimensions,
    ward, office-time response and resolution, and whether a Welsh writer got Welsh."""

    conversation = models.OneToOneField("inbox.Conversation", on_delete=models.CASCADE,
                                        related_name="analytics_fact")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    # The London day the conversation began.
    day = models.DateField()
    platform = models.CharField(max_length=20)
    category_id = models.BigIntegerField(null=True)
    team_id = models.BigIntegerField(null=True)
    assignee_id = models.BigIntegerField(null=True)
    language = models.CharField(max_length=8, blank=True)
    ward_id = models.BigIntegerField(null=True)
    status = models.CharField(max_length=10)
    first_response_seconds = models.PositiveIntegerField(null=True)
    first_response_band = models.PositiveSmallIntegerField(null=True)
    resolution_seconds = models.PositiveIntegerField(null=True)
    resolution_band = models.PositiveSmallIntegerField(null=True)
    # For a conversation in Welsh that has a reply: was the first reply in Welsh?
    welsh_reply = models.BooleanField(null=True)
    # Within the response target that applied to it (townhall.respond: its category and
    # priority, else its priority, else the council default)? Null with no reply yet, or
    # not resolved.
    first_response_in_target = models.BooleanField(null=True)
    resolution_in_target = models.BooleanField(null=True)

    class Meta:
        # Every column a report groups or filters by, so counting a range of days reads
        # the index alone (the ragged days of a dashboard range, the conversations
        # behind a figure).
        indexes = [models.Index(fields=["council", "day", "platform", "category_id",
                                        "team_id", "ward_id", "assignee_id",
                                        "first_response_band", "resolution_band",
                                        "language", "welsh_reply",
                                        "first_response_in_target",
                                        "resolution_in_target"],
                                name="fact_council_day")]

    def __str__(self) -> str:
        return f"Fact for conversation {self.conversation_id}"


class Grain(models.TextChoices):
    DAY = "d", _("Day")
    MONTH = "m", _("Month")


# Counts kept per roll-up row; the two band histograms follow as fr_0.., res_0...
COUNT_MEASURES = (
    "messages_in", "messages_out", "positive", "neutral", "negative", "contacts",
    "answered", "first_response_sum", "resolved", "resolution_sum", "welsh_replied",
    "welsh_in_welsh", "answered_in_target", "resolved_in_target",
)
FR_BANDS = tuple(f"fr_{i}" for i in range(BUCKETS))
RES_BANDS = tuple(f"res_{i}" for i in range(BUCKETS))
MEASURES = COUNT_MEASURES + FR_BANDS + RES_BANDS
DIMENSIONS = ("platform", "category_id", "team_id", "language")


class Rollup(models.Model):
    """Counts for one council, one day (or month) and one combination of platform,
    category, team and language. Messages count on the day they were written;
    conversations (contacts, replies, resolutions) on the day they began."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    platform = models.CharField(max_length=20)
    category_id = models.BigIntegerField(null=True)
    team_id = models.BigIntegerField(null=True)
    language = models.CharField(max_length=8, blank=True)

    messages_in = models.PositiveIntegerField(default=0)
    messages_out = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    neutral = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)
    contacts = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    first_response_sum = models.BigIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolution_sum = models.BigIntegerField(default=0)
    welsh_replied = models.PositiveIntegerField(default=0)
    welsh_in_welsh = models.PositiveIntegerField(default=0)
    # First replies and resolutions within each conversation's own response target.
    answered_in_target = models.PositiveIntegerField(default=0)
    resolved_in_target = models.PositiveIntegerField(default=0)
    # How many first replies, then resolutions, fell in each office-time band.
    for _n in range(BUCKETS):
        locals()[f"fr_{_n}"] = models.PositiveIntegerField(default=0)
    for _n in range(BUCKETS):
        locals()[f"res_{_n}"] = models.PositiveIntegerField(default=0)
    del _n

    class Meta:
        indexes = [models.Index(fields=["council", "grain", "start"], name="rollup_period")]

    def __str__(self) -> str:
        return f"{self.get_grain_display()} {self.start} {self.platform}"


class SplitBy(models.TextChoices):
    WARD = "w", _("Ward")
    OFFICER = "o", _("Officer")


SPLIT_MEASURES = ("contacts", "answered", "resolved", "answered_in_target",
                  "resolved_in_target") + FR_BANDS + RES_BANDS
SPLIT_DIMENSIONS = ("platform", "category_id", "team_id")


class SplitRollup(models.Model):
    """Conversations by ward, or by officer, for one month and one combination of
    platform, category and team: the same counts as Rollup, split another way. Kept by
    month only; a range's ragged days are counted from the facts."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    by = models.CharField(max_length=1, choices=SplitBy.choices)
    # The ward's or the officer's id; null for "ward not known" or "not assigned".
    value = models.BigIntegerField(null=True)
    platform = models.CharField(max_length=20)
    category_id = models.BigIntegerField(null=True)
    team_id = models.BigIntegerField(null=True)
    contacts = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    answered_in_target = models.PositiveIntegerField(default=0)
    resolved_in_target = models.PositiveIntegerField(default=0)
    for _n in range(BUCKETS):
        locals()[f"fr_{_n}"] = models.PositiveIntegerField(default=0)
    for _n in range(BUCKETS):
        locals()[f"res_{_n}"] = models.PositiveIntegerField(default=0)
    del _n

    class Meta:
        indexes = [models.Index(fields=["council", "by", "grain", "start"],
                                name="split_period")]

    def __str__(self) -> str:
        return f"{self.get_by_display()} {self.value} {self.start}"


class TermCount(models.Model):
    """How many messages from residents used a word on one day, for emerging topics.
    Kept for TERM_DAYS days only."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    term = models.CharField(max_length=40)
    messages = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["council", "day"], name="term_council_day")]

    def __str__(self) -> str:
        return f"{self.term} ×{self.messages} on {self.day}"


class RollupState(models.Model):
    """How far the roll-ups have read the messages and the audit trail."""

    council = models.OneToOneField(Council, on_delete=models.CASCADE, primary_key=True,
                                   related_name="+")
    last_message_id = models.BigIntegerField(default=0)
    last_audit_id = models.BigIntegerField(default=0)
    # How many ids there were in the LAG ids below each mark when it was set; a change
    # means a late transaction committed there (decision 0701).
    message_window = models.IntegerField(default=0)
    audit_window = models.IntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)
    # Set when something every fact depends on changed (the wards): rebuild them all.
    rebuild_needed = models.BooleanField(default=False)
    # The response targets (townhall.respond) the facts were measured against, as a
    # fingerprint; a different one means they changed, and every fact is rebuilt.
    targets_key = models.CharField(max_length=80, blank=True)

    def __str__(self) -> str:
        return f"Roll-up state of {self.council_id}"


class TargetKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First reply")
    RESOLUTION = "resolution", _("Resolution")
    SHIFT_RATE = "shift_rate", _("Channel shift")
    MONEY_SAVED = "money_saved", _("Money saved")
    WELSH_IN_WELSH = "welsh_in_welsh", _("Welsh answered in Welsh")


TIMED_KINDS = (TargetKind.FIRST_RESPONSE, TargetKind.RESOLUTION)
SHARE_KINDS = (TargetKind.FIRST_RESPONSE, TargetKind.RESOLUTION, TargetKind.SHIFT_RATE,
               TargetKind.WELSH_IN_WELSH)


class Target(models.Model):
    """What the council promised for one financial year (named by its starting year).

    A time target is a share within a time. With no office_minutes, the time is each
    conversation's own response target (townhall.respond, by category and priority):
    "95% of first replies within their response target". With office_minutes, one time
    for all: "half of first replies within 2 office hours" is a median target.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=TargetKind.choices)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    office_minutes = models.PositiveIntegerField(null=True, blank=True)
    amount_pence = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["year", "kind", "office_minutes", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year", "kind", "office_minutes"],
                                    name="target_timed_unique",
                                    condition=Q(office_minutes__isnull=False)),
            models.UniqueConstraint(fields=["council", "year", "kind"],
                                    name="target_kind_unique",
                                    condition=Q(office_minutes__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"


class ReportSubscription(models.Model):
    """A supervisor who gets the committee report by email on the first of each month."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The month (its first day) of the last report sent, so a rerun sends nothing twice.
    last_sent_month = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="report_subscription_unique")
        ]

    def __str__(self) -> str:
        return f"Monthly report for {self.user_id}"
