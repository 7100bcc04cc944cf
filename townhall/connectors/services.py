import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from townhall.connectors.base import CheckResult, Connector, SentMessage
from townhall.connectors.credentials import secrets_decrypt, secrets_encrypt
from townhall.connectors.errors import (
    ConnectorError,
    PermanentError,
    RetriableError,
    UnknownPlatform,
)
from townhall.connectors.http import backoff
from townhall.connectors.models import (
    AttemptOutcome,
    Channel,
    ChannelCredentials,
    ChannelCursor,
    Delivery,
    DeliveryAttempt,
)
from townhall.connectors.registry import PUBLISHED_ON_STORE, connector_for
from townhall.connectors.selectors import (
    channels_with_connector,
    latest_inbound_at,
    platform_ids_received,
    replies_due,
)
from townhall.core.models import Council
from townhall.core.services import audit_record
from townhall.inbox.models import DeliveryStatus, Direction, Message

if TYPE_CHECKING:
    from townhall.ingest.services import IngestResult


@transaction.atomic
def channel_create(
    *, council: Council, platform: str, handle: str, name: str = "", actor_label: str = "system",
    by: Any = None, ip_address: str | None = None,
) -> tuple[Channel, str]:
    """Create a channel with a fresh webhook secret; return it with the secret in clear."""
    secret = secrets.token_urlsafe(32)
    channel = Channel(council=council, platform=platform, handle=handle, name=name)
    channel.set_webhook_secret(secret)
    channel.full_clean()
    channel.save()
    audit_record(council=council, actor=by, actor_label="" if by else actor_label,
                 action="channel.created", obj=channel,
                 data={"platform": platform, "handle": handle}, ip_address=ip_address)
    return channel, secret


def channel_get_or_create(*, council: Council, platform: str, handle: str) -> Channel:
    channel = Channel.objects.filter(council=council, platform=platform, handle=handle).first()
    if channel is None:
        channel, _ = channel_create(council=council, platform=platform, handle=handle,
                                    actor_label="import")
    return channel


@transaction.atomic
def channel_rotate_secret(*, channel: Channel, by: Any, ip_address: str | None = None) -> str:
    """Replace the webhook secret; the old one stops working at once. Returns the new one."""
    secret = secrets.token_urlsafe(32)
    channel.set_webhook_secret(secret)
    channel.save(update_fields=["webhook_secret_encrypted"])
    audit_record(council=channel.council, actor=by, action="channel.secret_rotated",
                 obj=channel, ip_address=ip_address)
    return secret


@transaction.atomic
def channel_set_active(
    *, channel: Channel, is_active: bool, by: Any, ip_address: str | None = None
) -> Channel:
    """Deactivate (or reactivate) a channel. Its messages stay; new webhooks are refused."""
    channel.is_active = is_active
    channel.save(update_fields=["is_active"])
    audit_record(council=channel.council, actor=by,
                 action="channel.reactivated" if is_active else "channel.deactivated",
                 obj=channel, ip_address=ip_address)
    return channel



# Credentials ------------------------------------------------------------------


@transaction.atomic
def channel_credentials_set(
    *, channel: Channel, settings: dict[str, Any], secrets: dict[str, str] | None = None,
    by: Any = None, actor_label: str = "",
) -> ChannelCredentials:
    """Set a channel's connector settings and, optionally, replace its stored secrets.

    The audit event names the secrets that changed, never their values.
    """
    credentials, _ = ChannelCredentials.objects.get_or_create(channel=channel)
    credentials.settings = settings
    if secrets is not None:
        credentials.secrets_encrypted = secrets_encrypt(secrets)
    credentials.save()
    audit_record(council=channel.council, actor=by, actor_label=actor_label or "system",
                 action="channel.credentials_set", obj=channel,
                 data={"settings": sorted(settings), "secrets": sorted(secrets or {})})
    return credentials


def channel_credentials_replace(
    *, channel: Channel, settings: dict[str, Any], secrets: dict[str, str], by: Any,
    how: str, ip_address: str | None = None, drop: tuple[str, ...] = (),
) -> ChannelCredentials:
    """Save what the connect pages gathered: settings and secrets are merged into what
    the channel has (a blank secret field on a form means "keep it", so it never comes
    here), and names in `drop` are removed. Secrets are encrypted; the audit event says
    who replaced which, by what means, never a value."""
    with transaction.atomic():
        credentials, _ = ChannelCredentials.objects.select_for_update().get_or_create(
            channel=channel)
        merged_settings = {k: v for k, v in {**credentials.settings, **settings}.items()
                           if k not in drop and v is not None}
        stored = secrets_decrypt(credentials.secrets_encrypted)
        merged_secrets = {k: v for k, v in {**stored, **secrets}.items() if k not in drop}
        credentials.settings = merged_settings
        credentials.secrets_encrypted = secrets_encrypt(merged_secrets)
        credentials.save()
        who = by.get_username() if getattr(by, "is_authenticated", False) else "system"
        audit_record(council=channel.council, actor=by, action="channel.credentials_replaced",
                     obj=channel, ip_address=ip_address, data={
                         "description": f"Credentials for channel {channel} were replaced "
                                        f"by {who} ({how}).",
                         "settings": sorted(settings), "secrets": sorted(secrets),
                         "removed": sorted(drop)})
    return credentials


def channel_secrets_reload(*, channel_id: int) -> dict[str, str]:
    """A channel's stored secrets as they are now, for a connector renewing a token."""
    token = ChannelCredentials.objects.filter(channel_id=channel_id).values_list(
        "secrets_encrypted", flat=True).first()
    return secrets_decrypt(token or "")


def channel_secrets_rotate(*, channel_id: int, values: dict[str, str]) -> None:
    """Keep tokens a platform handed out in exchange for older ones (an OAuth refresh).

    The row is locked while the new values are merged in, so two workers renewing at
    the same moment cannot lose each other's token."""
    with transaction.atomic():
        credentials = (ChannelCredentials.objects.select_for_update()
                       .select_related("channel__council").get(channel_id=channel_id))
        current = secrets_decrypt(credentials.secrets_encrypted)
        current.update(values)
        credentials.secrets_encrypted = secrets_encrypt(current)
        credentials.save(update_fields=["secrets_encrypted", "updated_at"])
        audit_record(council=credentials.channel.council, actor=None, actor_label="connector",
                     action="channel.credentials_renewed", obj=credentials.channel,
                     data={"secrets": sorted(values)})


def channel_check(*, channel: Channel, by: Any = None) -> CheckResult:
    """Run the connector's check and keep its plain-words result for the channel pages.

    A person checking sees the result at once, so the email to the council's
    administrators about a channel that stopped working is left to the scheduled
    re-check, which sends it once (health.py)."""
    from townhall.connectors.health import channel_check_record, connector_check

    result = connector_check(channel=channel)
    channel_check_record(channel=channel, result=result, by=by)
    return result


# Polling ----------------------------------------------------------------------


def channel_poll(*, channel: Channel, connector: Connector | None = None) -> "IngestResult":
    """Fetch what arrived since the channel's cursor, store it, then move the cursor.

    items_ingest commits the raw events before it returns, so saving the cursor after it
    can never skip a message: a crash in between only means reading some again, and
    ingest absorbs those as duplicates.
    """
    from townhall.ingest.models import Source
    from townhall.ingest.services import items_ingest

    connector = connector or connector_for(channel)
    cursor, _ = ChannelCursor.objects.get_or_create(channel=channel)
    try:
        polled = connector.poll(dict(cursor.position))
    except ConnectorError as error:
        ChannelCursor.objects.filter(pk=cursor.pk).update(last_error=str(error)[:2000])
        raise
    # A poll fills the gaps webhooks left. What already arrived is skipped, so a CDN link
    # that changed since is not mistaken for an edit.
    known = platform_ids_received(channel=channel,
                                  ids=[i.platform_message_id for i in polled.items])
    fresh = [i for i in polled.items if i.platform_message_id not in known]
    result = items_ingest(council=channel.council, items=fresh, source=Source.CONNECTOR,
                          channel=channel)
    result.duplicates += len(polled.items) - len(fresh)
    problems = "; ".join(str(e) for e in polled.errors)[:2000]
    ChannelCursor.objects.filter(pk=cursor.pk).update(
        position=polled.cursor, polled_at=timezone.now(), last_error=problems)
    return result


def channels_poll_all() -> dict[int, str]:
    """Poll every active channel that has a connector and credentials (the reconcile sweep).

    Returns a plain-words outcome per channel id; one channel's failure never stops the rest.
    """
    outcomes: dict[int, str] = {}
    for channel in channels_with_connector():
        try:
            result = channel_poll(channel=channel)
        except (ConnectorError, UnknownPlatform) as error:
            outcomes[channel.pk] = f"Not polled: {error}"
            continue
        outcomes[channel.pk] = (f"{result.created} new, {result.duplicates} already stored, "
                                f"{result.failed} failed")
    return outcomes


# Outbound replies ---------------------------------------------------------------

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 10


def _latest_inbound_id(message: Message) -> str:
    return (Message.objects.filter(conversation_id=message.conversation_id, direction="in")
            .exclude(platform_message_id="").order_by("-created_at", "-id")
            .values_list("platform_message_id", flat=True).first()) or ""


def _latest_inbound_at(message: Message) -> datetime | None:
    return latest_inbound_at(conversation_id=message.conversation_id)


def _claim(message: Message, now: datetime) -> Delivery | None:
    """Take the lease on a reply, or None if it is not due or another worker holds it."""
    Delivery.objects.get_or_create(message=message)
    claimed = Delivery.objects.filter(message=message).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)).update(
        claimed_until=now + LEASE)
    return Delivery.objects.get(message=message) if claimed else None


def reply_deliver(*, message: Message, connector: Connector | None = None) -> Message:
    """Send one queued reply through its channel's connector, exactly once.

    The idempotency key is stored with the message before this runs. Before each send the
    delivery is marked `maybe_sent`; if an attempt ends without a clear answer (a timeout,
    a 5xx, a crash), the next attempt first asks the platform whether the reply is there.
    """
    message = Message.objects.select_related("channel", "conversation", "council").get(
        pk=message.pk)
    if message.direction != Direction.OUT or message.delivery_status != DeliveryStatus.QUEUED:
        return message
    if message.channel.platform in PUBLISHED_ON_STORE:
        # Nothing to send it through: it was published when it was stored. One left
        # queued from before that is published now, never failed for want of a connector.
        with transaction.atomic():
            reply_publish(message=message)
        return message
    if not message.idempotency_key:
        raise ValueError("A reply must have its idempotency key stored before it is sent.")
    now = timezone.now()
    delivery = _claim(message, now)
    if delivery is None:
        return message
    thread_id = message.conversation.thread_key
    in_reply_to = message.in_reply_to or _latest_inbound_id(message)
    found = False
    try:
        connector = connector or connector_for(message.channel)
        # Meta's messaging window: a reply too late is refused here, in plain words,
        # rather than by the platform; one that needs a tag is sent with it.
        window = connector.reply_window(thread_id=thread_id, now=now,
                                        last_inbound_at=_latest_inbound_at(message))
        if window is not None and window.closed:
            raise PermanentError(window.explanation)
        options = {"tag": window.tag} if window is not None and window.tag else {}
        sent = None
        if delivery.maybe_sent:
            try:
                sent = connector.find_sent(text=message.text, thread_id=thread_id,
                                           in_reply_to=in_reply_to,
                                           idempotency_key=message.idempotency_key,
                                           since=message.created_at)
            except RetriableError as error:
                # Not knowing yet is not "not sent": the earlier attempt may still have
                # reached the platform, so the next attempt must look again first.
                error.maybe_sent = True
                raise
            found = sent is not None
        if sent is None:
            Delivery.objects.filter(pk=delivery.pk).update(maybe_sent=True,
                                                           attempts=F("attempts") + 1)
            sent = connector.send_reply(text=message.text, thread_id=thread_id,
                                        in_reply_to=in_reply_to,
                                        idempotency_key=message.idempotency_key, **options)
    except RetriableError as error:
        return _delivery_retry(message, error)
    except (PermanentError, UnknownPlatform) as error:
        return _delivery_fail(message, str(error))
    return _delivery_done(message, sent, found=found)


def reply_publish(*, message: Message) -> bool:
    """Count a reply as sent the moment it is stored, where storing it is what publishes
    it (PUBLISHED_ON_STORE: an Open311 reporting app reads it as the request's
    status_notes). Call it in the transaction that stores or approves the reply, so the
    thread never says "queued" about a reply the resident's app already shows. Returns
    whether it published the reply; any other reply is left to its connector."""
    if (message.direction != Direction.OUT or message.delivery_status != DeliveryStatus.QUEUED
            or message.channel.platform not in PUBLISHED_ON_STORE):
        return False
    pmid = f"{message.channel.platform}-reply-{message.pk}"
    message.delivery_status = DeliveryStatus.SENT
    message.platform_message_id = pmid
    message.save(update_fields=["delivery_status", "platform_message_id"])
    DeliveryAttempt.objects.create(message=message, at=timezone.now(),
                                   outcome=AttemptOutcome.SENT)
    audit_record(council=message.council, actor=None, actor_label="townhall",
                 action="reply.published", obj=message,
                 data={"platform": message.channel.platform, "platform_message_id": pmid})
    return True


def _attempt(message: Message, outcome: str, *, error: str = "",
             next_at: datetime | None = None, platform_message_id: str = "") -> None:
    delivery = Delivery.objects.get(message=message)
    DeliveryAttempt.objects.create(message=message, at=timezone.now(), outcome=outcome,
                                   error=error, next_attempt_at=next_at)
    audit_record(council=message.council, actor=None, actor_label="connector",
                 action=f"reply.{outcome}", obj=message,
                 data={"platform": message.channel.platform, "attempt": delivery.attempts,
                       "platform_message_id": platform_message_id, "error": error})


@transaction.atomic
def _delivery_done(message: Message, sent: SentMessage, *, found: bool) -> Message:
    pmid = sent.platform_message_id
    # The platform's own copy (a Messenger echo, a feed webhook for the Page's comment)
    # may have been stored first under the same id; the reply is still sent, once.
    taken = Message.objects.filter(channel=message.channel, platform_message_id=pmid).exclude(
        pk=message.pk).exists()
    message.delivery_status = DeliveryStatus.SENT
    fields = ["delivery_status"]
    if not taken:
        message.platform_message_id = pmid
        fields.append("platform_message_id")
    message.save(update_fields=fields)
    Delivery.objects.filter(message=message).update(
        claimed_until=None, next_attempt_at=None, maybe_sent=False, last_error="")
    _attempt(message, AttemptOutcome.FOUND if found else AttemptOutcome.SENT,
             platform_message_id=pmid)
    return message


@transaction.atomic
def _delivery_retry(message: Message, error: RetriableError) -> Message:
    delivery = Delivery.objects.get(message=message)
    if delivery.attempts >= MAX_ATTEMPTS:
        return _delivery_fail(message, f"{error} Townhall tried {delivery.attempts} times "
                                       "and has stopped. Check the channel, then send the "
                                       "reply again.")
    wait = max(error.retry_after or 0.0, backoff(delivery.attempts + 1))
    next_at = timezone.now() + timedelta(seconds=wait)
    Delivery.objects.filter(message=message).update(
        claimed_until=None, next_attempt_at=next_at, maybe_sent=error.maybe_sent,
        last_error=str(error)[:2000])
    _attempt(message, AttemptOutcome.RETRY, error=str(error), next_at=next_at)
    return message


@transaction.atomic
def _delivery_fail(message: Message, error: str) -> Message:
    message.delivery_status = DeliveryStatus.FAILED
    message.save(update_fields=["delivery_status"])
    Delivery.objects.filter(message=message).update(
        claimed_until=None, next_attempt_at=None, last_error=error[:2000])
    _attempt(message, AttemptOutcome.FAILED, error=error)
    return message


def replies_deliver_due() -> int:
    """Try every queued reply that is due (the sweep). Returns how many were tried."""
    tried = 0
    for message in replies_due(now=timezone.now()):
        reply_deliver(message=message)
        tried += 1
    return tried
