"""Townhall as a GeoReport v2 server: API keys, and reports that become conversations.

A POSTed request goes through the durable ingestion path (a raw event is committed
first) as a message on the council's `open311` channel. If turning it into a message
fails, the raw event keeps it for `townhall ingest retry`, and the client gets a token
instead of an id: GET tokens/{token} gives the id once the conversation exists.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from townhall.connectors.models import Channel, Platform
from townhall.connectors.services import channel_create
from townhall.core.models import Council
from townhall.core.services import audit_record
from townhall.inbox.models import Conversation, DeliveryStatus, Direction, Message
from townhall.ingest.items import IncomingItem
from townhall.ingest.models import Source
from townhall.ingest.services import items_ingest
from townhall.open311.models import ApiKey, Submission
from townhall.triage.models import Category

CHANNEL = "open311"
MAX_DESCRIPTION = 4000
MAX_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
REFERENCE = re.compile(r"^TH-(\d{1,12})$", re.IGNORECASE)
TOKEN_ATTRIBUTE = "townhall_reference"


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, council: Council, name: str, actor_label: str = "cli") -> tuple[ApiKey, str]:
    """Issue a key for a system that reports to Townhall; the raw key is shown once."""
    raw = "o311_" + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(council=council, name=name, prefix=raw[5:13],
                                key_hash=key_hash(raw))
    audit_record(council=council, actor=None, actor_label=actor_label,
                 action="open311.key_created", obj=key, data={"name": name})
    return key, raw


def api_key_check(*, raw: str) -> ApiKey | None:
    """The live key with this value, or None. Marks it used (at most once a minute)."""
    if not raw:
        return None
    key = ApiKey.objects.filter(key_hash=key_hash(raw), revoked_at__isnull=True).select_related(
        "council").first()
    if key is not None:
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


# Validating a POSTed request ------------------------------------------------------------


@dataclass
class Problems:
    """The spec's error list: (HTTP-ish code, description)."""

    found: list[tuple[int, str]] = field(default_factory=list)

    def add(self, code: int, description: str) -> None:
        self.found.append((code, description))

    @property
    def status(self) -> int:
        codes = {code for code, _ in self.found}
        return 404 if codes == {404} else 400


@dataclass
class NewRequest:
    category: Category
    service_code: str
    description: str = ""
    address_string: str = ""
    address_id: str = ""
    lat: float | None = None
    long: float | None = None
    media_url: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    account_id: str = ""
    device_id: str = ""
    reference: str = ""


def _text(data: dict[str, str], name: str, limit: int, problems: Problems) -> str:
    value = (data.get(name) or "").strip()
    if "\x00" in value:
        problems.add(400, f"{name} contains a NUL character.")
        return ""
    if len(value) > limit:
        problems.add(400, f"{name} is longer than {limit:,} characters.")
        return ""
    return value


def _coordinate(raw: str, name: str, bound: float, problems: Problems) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        problems.add(400, f"{name} must be a number in WGS84 degrees.")
        return None
    if not -bound <= value <= bound:
        problems.add(400, f"{name} must be between -{bound:g} and {bound:g}.")
        return None
    return value


def request_validate(*, council: Council,
                     data: dict[str, str]) -> tuple[NewRequest | None, Problems]:
    """Check a POST requests body as the spec describes; every problem is reported."""
    problems = Problems()
    code = _text(data, "service_code", 100, problems)
    category = None
    if not code:
        problems.add(400, "service_code was not provided.")
    else:
        category = Category.objects.filter(council=council, code=code, is_active=True).first()
        if category is None:
            problems.add(404, f"service_code {code!r} was not found.")
    lat_raw, long_raw = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
    lat = long = None
    if lat_raw or long_raw:
        if not (lat_raw and long_raw):
            problems.add(400, "lat and long must be sent together.")
        else:
            lat = _coordinate(lat_raw, "lat", 90, problems)
            long = _coordinate(long_raw, "long", 180, problems)
    address = _text(data, "address_string", 300, problems)
    address_id = _text(data, "address_id", 100, problems)
    if not (lat_raw and long_raw) and not address and not address_id:
        problems.add(400, "A location is required: lat and long, address_string or address_id.")
    description = _text(data, "description", MAX_DESCRIPTION, problems)
    email = _text(data, "email", 254, problems)
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            problems.add(400, "email is not a valid email address.")
    media_url = _text(data, "media_url", 500, problems)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            problems.add(400, "media_url must be an http or https URL.")
    fields = {name: _text(data, name, 100, problems)
              for name in ("first_name", "last_name", "account_id", "device_id")}
    phone = _text(data, "phone", 40, problems)
    reference = _text(data, f"attribute[{TOKEN_ATTRIBUTE}]", 100, problems)
    if problems.found or category is None:
        return None, problems
    return NewRequest(category=category, service_code=code, description=description,
                      address_string=address, address_id=address_id, lat=lat, long=long,
                      media_url=media_url, email=email, phone=phone, reference=reference,
                      **fields), problems


# Creating it --------------------------------------------------------------------------


def _postcode(text: str) -> str:
    from townhall.triage.nlp.places import POSTCODE_RE

    found = POSTCODE_RE.search(text or "")
    return found.group(0).upper() if found else ""


def _where(new: NewRequest) -> str:
    parts = [new.address_string]
    if new.lat is not None and new.long is not None:
        parts.append(f"{new.lat:.6f}, {new.long:.6f}")
    if new.address_id:
        parts.append(f"address id {new.address_id}")
    return "; ".join(p for p in parts if p)


def open311_channel(*, council: Council) -> Channel:
    """The council's channel for Open311 reports, made the first time one arrives.

    Reports come with an API key, not a signed webhook, so the channel's webhook secret
    is never used; replies reach the reporting system as the request's status_notes.
    """
    channel = Channel.objects.filter(council=council, platform=Platform.OPEN311,
                                     handle=CHANNEL).first()
    if channel is not None:
        return channel
    try:
        with transaction.atomic():
            channel, _secret = channel_create(council=council, platform=Platform.OPEN311,
                                              handle=CHANNEL, name="Open311 reports",
                                              actor_label="open311")
    except (IntegrityError, ValidationError):
        # Two first reports at once: the other one made it.
        channel = Channel.objects.get(council=council, platform=Platform.OPEN311, handle=CHANNEL)
    return channel


def submission_create(*, council: Council, api_key: ApiKey | None,
                      new: NewRequest) -> Submission:
    """Store the report, then turn it into a conversation through ingestion."""
    now = timezone.now()
    submission = Submission.objects.create(
        council=council, api_key=api_key, token=secrets.token_urlsafe(12),
        category=new.category, service_code=new.service_code, description=new.description,
        address_string=new.address_string, address_id=new.address_id,
        postcode=_postcode(new.address_string), lat=new.lat, long=new.long,
        media_url=new.media_url, first_name=new.first_name, last_name=new.last_name,
        email=new.email, phone=new.phone, account_id=new.account_id, device_id=new.device_id,
        requested_at=now)
    author = new.email or new.account_id or new.device_id or f"anonymous-{submission.token[:8]}"
    name = " ".join(filter(None, [new.first_name, new.last_name]))
    text = "\n\n".join(filter(None, [new.description or new.category.name,
                                     f"Where: {_where(new)}"]))
    thread = f"open311-{submission.token}"
    channel = open311_channel(council=council)
    items_ingest(council=council, source=Source.API, channel=channel, items=[IncomingItem(
        platform=CHANNEL, channel=CHANNEL, platform_message_id=thread, author=f"open311:{author}",
        author_name=name, text=text, created_at=now, thread_id=thread,
        attachments=[{"type": "image", "url": new.media_url}] if new.media_url else [])])
    conversation = Conversation.objects.filter(council=council, channel=channel,
                                               thread_key=thread).first()
    with transaction.atomic():
        if conversation is not None:
            # The reporter chose the service, so it outranks triage's guess.
            Conversation.objects.filter(pk=conversation.pk).update(category=new.category)
            submission.conversation = conversation
            submission.save(update_fields=["conversation"])
        audit_record(council=council, actor=None,
                     actor_label=f"open311:{api_key.name}" if api_key else "open311",
                     action="open311.report_received", obj=submission,
                     data={"service_code": new.service_code,
                           "conversation": conversation.reference if conversation else ""})
    _confirm_shift(council=council, new=new, submission=submission)
    return submission


def _confirm_shift(*, council: Council, new: NewRequest, submission: Submission) -> None:
    """A report made from a tracked link's form: that earlier conversation shifted."""
    from townhall.shift.models import ShiftSource
    from townhall.shift.services import shift_confirm_in_text

    text = " ".join([new.reference, new.description])
    reference = (submission.conversation.reference if submission.conversation
                 else submission.token)
    shift_confirm_in_text(council=council, text=text, source=ShiftSource.OPEN311_SERVER,
                          external_reference=reference, at=submission.requested_at)


def submission_conversation(submission: Submission) -> Conversation | None:
    """The conversation, looked up again if ingestion was retried since the POST."""
    if submission.conversation_id is None:
        found = Conversation.objects.filter(council_id=submission.council_id,
                                            channel__platform=CHANNEL,
                                            thread_key=f"open311-{submission.token}").first()
        if found is not None:
            Submission.objects.filter(pk=submission.pk).update(conversation=found)
            submission.conversation = found
    return submission.conversation


# Reading --------------------------------------------------------------------------------


def _with_notes(queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    """Annotate `notes`: the council's latest reply, which is the request's status_notes.

    Only a reply that is out (sent, or imported from another system with no state): one
    waiting for a supervisor's approval, or not approved, is not the council's word yet.
    """
    latest = (Message.objects.filter(conversation_id=OuterRef("conversation_id"),
                                     direction=Direction.OUT,
                                     delivery_status__in=[DeliveryStatus.SENT, ""])
              .order_by("-created_at", "-id").values("text")[:1])
    return queryset.select_related("conversation", "category", "council").annotate(
        notes=Subquery(latest))


def submission_by_reference(*, council: Council, reference: str) -> Submission | None:
    match = REFERENCE.match(reference.strip())
    if match is None:
        return None
    return _with_notes(Submission.objects.filter(
        council=council, conversation_id=int(match.group(1)))).first()


def submission_by_token(*, council: Council, token: str) -> Submission | None:
    return Submission.objects.filter(council=council, token=token).first()


@dataclass
class Query:
    references: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    statuses: list[str] = field(default_factory=list)


def submissions_query(*, council: Council, query: Query) -> QuerySet[Submission]:
    """GET requests: ids override everything; otherwise at most 90 days and 1,000 rows."""
    queryset = _with_notes(Submission.objects.filter(council=council))
    if query.references:
        ids = [int(m.group(1)) for m in (REFERENCE.match(r.strip()) for r in query.references)
               if m]
        return queryset.filter(conversation_id__in=ids).order_by("-requested_at")[:MAX_RESULTS]
    end = query.end or timezone.now()
    start = query.start or end - MAX_SPAN
    queryset = queryset.filter(requested_at__gte=start, requested_at__lte=end)
    if query.service_codes:
        queryset = queryset.filter(service_code__in=query.service_codes)
    statuses = set(query.statuses)
    if statuses == {"closed"}:
        queryset = queryset.filter(conversation__status="closed")
    elif statuses == {"open"}:
        queryset = queryset.filter(Q(conversation__isnull=True) | ~Q(conversation__status="closed"))
    return queryset.order_by("-requested_at")[:MAX_RESULTS]
