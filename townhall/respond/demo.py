"""The demo council's office hours, targets, saved replies, approval rule and queue."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from townhall.accounts.models import Membership
from townhall.core.models import Council
from townhall.inbox.models import Conversation, SavedReply, Status
from townhall.inbox.services import conversation_reply
from townhall.respond.hours import DEFAULT_WEEK
from townhall.respond.models import ApprovalRule, ClosureDay, ResponseSettings, ResponseTarget
from townhall.respond.services import opening_times_from, response_times_backfill
from townhall.triage.models import Category, Priority

# (category code or None, priority, first response minutes, resolution minutes)
DEMO_TARGETS: list[tuple[str | None, str, int, int | None]] = [
    (None, Priority.CRITICAL, 60, 8 * 60),
    (None, Priority.HIGH, 4 * 60, 3 * 8 * 60),
    (None, Priority.NORMAL, 8 * 60, 10 * 8 * 60),
    (None, Priority.LOW, 3 * 8 * 60, None),
    ("roads_potholes", Priority.HIGH, 2 * 60, 2 * 8 * 60),
    ("bins_collections", Priority.NORMAL, 4 * 60, 2 * 8 * 60),
]

DEMO_SAVED_REPLIES = [
    ("Missed bin", "bins_collections",
     "Sorry your bin was missed, {resident_name}. I have asked the crew to come back within "
     "two working days. You can report a missed bin any time at {self_service_link} "
     "Your reference is {reference}.",
     "Bin heb ei gasglu",
     "Mae'n ddrwg gennym fod eich bin heb ei gasglu, {resident_name}. Rydw i wedi gofyn i'r "
     "criw ddod yn ôl o fewn dau ddiwrnod gwaith. Gallwch roi gwybod am fin heb ei gasglu "
     "unrhyw bryd yn {self_service_link} Eich cyfeirnod yw {reference}."),
    ("Pothole reported", "roads_potholes",
     "Thank you, {resident_name}. I have logged the pothole with our highways team, who "
     "inspect new reports within five working days. Your reference is {reference}. "
     "{officer_name}",
     "Twll yn y ffordd",
     "Diolch, {resident_name}. Rydw i wedi cofnodi'r twll gyda'n tîm priffyrdd, sy'n "
     "archwilio adroddiadau newydd o fewn pum diwrnod gwaith. Eich cyfeirnod yw "
     "{reference}. {officer_name}"),
    ("Ask for a private message", None,
     "Thanks {resident_name}. So we can look into this, please send us a private message "
     "with your address. Please do not post personal details here. Reference {reference}.",
     "Gofyn am neges breifat",
     "Diolch {resident_name}. Er mwyn i ni ymchwilio i hyn, anfonwch neges breifat atom gyda'ch "
     "cyfeiriad. Peidiwch â rhannu manylion personol yma. Cyfeirnod {reference}."),
]

KEYWORD_RULE = ("Compensation, claims or legal words", "compensation, claim, legal, solicitor")


def _christmas_shutdown(today: date) -> list[date]:
    """The working days between Christmas and New Year that are not bank holidays."""
    year = today.year if today.month >= 6 else today.year - 1
    return [date(year, 12, day) for day in (24, 29, 30, 31)
            if date(year, 12, day).weekday() < 5]


def _hold_replies(council: Council) -> None:
    """Two replies waiting for the supervisor: one caught by the keyword rule, one an
    officer's request to send English to a resident who wrote in Welsh."""
    officer = Membership.objects.select_related("user", "council").filter(
        council=council, user__username="officer").first()
    if officer is None:
        return
    waiting = (Conversation.objects.filter(council=council, status=Status.OPEN,
                                           waiting_since__isnull=False, safeguarding=False)
               .select_related("council", "category", "resident").order_by("waiting_since", "id"))
    english = waiting.filter(language="en").first()
    if english is not None:
        conversation_reply(
            conversation=english, by=officer, version=english.version,
            idempotency_key=f"demo-approval-{english.pk}",
            text="I'm sorry about this. If you would like to make a claim for compensation, "
                 "I can send you the form. We will look into what happened first.")
    welsh = waiting.filter(language="cy").first()
    if welsh is not None:
        conversation_reply(
            conversation=welsh, by=officer, version=welsh.version, welsh_override=True,
            idempotency_key=f"demo-approval-{welsh.pk}",
            text="Thank you for your message. I have passed this to the right team and they "
                 "will be in touch.")


@transaction.atomic
def demo_install(council: Council, *, today: date | None) -> None:
    """Deterministic for a given `today` (the demo's last day; default the UK date now)."""
    today = today or timezone.localdate()
    ResponseSettings.objects.update_or_create(council=council, defaults={
        "opening_times": opening_times_from({d: list(v) for d, v in DEFAULT_WEEK.items()}),
        "nation": "england-and-wales", "warn_at_percent": 80})
    for day in _christmas_shutdown(today):
        ClosureDay.objects.get_or_create(council=council, day=day,
                                         defaults={"reason": "Christmas shutdown"})
    categories = {c.code: c for c in Category.objects.filter(council=council)}
    for code, priority, first, resolution in DEMO_TARGETS:
        category = categories.get(code) if code else None
        if code and category is None:
            continue
        ResponseTarget.objects.update_or_create(
            council=council, category=category, priority=priority,
            defaults={"first_response_minutes": first, "resolution_minutes": resolution})
    for title, code, body, title_cy, body_cy in DEMO_SAVED_REPLIES:
        SavedReply.objects.get_or_create(council=council, title=title, defaults={
            "body": body, "title_cy": title_cy, "body_cy": body_cy,
            "category": categories.get(code) if code else None})
    name, keywords = KEYWORD_RULE
    ApprovalRule.objects.get_or_create(council=council, name=name,
                                       defaults={"keywords": keywords})
    response_times_backfill(council)
    _hold_replies(council)

