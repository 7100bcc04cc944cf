"""Whether each connected channel still works, and telling its council when it stops.

Every check (the connect pages' and the scheduled re-check's) is kept in the channel's
`last_check`, with `not_working_since` while checks fail. The scheduled re-check
emails the council's administrators once each time a channel stops working (also when
a person's check found it first): the email is claimed, as `alerted_at`, in the same
locked update that records the failure, and given back if it could not be sent, so the
next run tries again. Working once more clears both. Check lines carry no secret by design; they
also pass through `redact` with the channel's own secret values, in case a platform
echoes one.
"""

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from townhall.accounts.models import Membership, Role
from townhall.connectors.base import CheckResult
from townhall.connectors.credentials import secrets_decrypt
from townhall.connectors.errors import ConnectorError, UnknownPlatform
from townhall.connectors.models import Channel, ChannelCredentials
from townhall.connectors.registry import connector_for
from townhall.core.lib.redact import redact
from townhall.core.services import audit_record

logger = logging.getLogger(__name__)

# What a check did to a channel, as the re-check task reports it to operators.
WORKING, BROKE, STILL_BROKEN, RECOVERED = ("working", "stopped working", "still not working",
                                           "working again")
NOT_CONNECTED = "not connected"


@dataclass(frozen=True)
class ChannelHealth:
    """The last check of a channel, as the channel pages show it; never a secret."""

    checked_at: datetime | None
    working: bool | None
    problem: str = ""
    not_working_since: datetime | None = None


def health_from(last_check: dict[str, Any] | None) -> ChannelHealth:
    check = last_check or {}
    if not check.get("at"):
        return ChannelHealth(checked_at=None, working=None)
    working = bool(check.get("credentials_ok")) and bool(check.get("reachable"))
    return ChannelHealth(checked_at=_time(check.get("at")), working=working,
                         problem="" if working else str(check.get("problem") or
                                                        check_problem_from(check)),
                         not_working_since=None if working else (
                             _time(check.get("not_working_since")) or _time(check.get("at"))))


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def check_problem(result: CheckResult) -> str:
    return check_problem_from({"lines": result.lines})


def check_problem_from(check: dict[str, Any]) -> str:
    """The line of a failed check that says what is wrong.

    Connectors end a failed check with what the platform said, or, when Townhall did not
    get as far as asking, with "Townhall did not contact ..." after the lines that say
    what is missing.
    """
    lines = [str(line) for line in check.get("lines") or []]
    if not lines:
        return _("The check failed without saying why.")
    if len(lines) > 1 and lines[-1].startswith("Townhall did not contact"):
        return " ".join(lines[:-1])
    return lines[-1]


def _secret_values(credentials: ChannelCredentials) -> list[str]:
    values = list(secrets_decrypt(credentials.secrets_encrypted).values())
    values += [os.environ.get(str(name), "") for key, name in credentials.settings.items()
               if key.endswith("_env")]
    return [v for v in values if v]


def channel_check_record(*, channel: Channel, result: CheckResult, by: Any = None,
                         notify: bool = False, now: datetime | None = None) -> str:
    """Keep a check's result on the channel; say whether it broke, recovered or neither.

    A change from working to not working, and back, is an audit event. With `notify`
    (the scheduled re-check), a channel that stopped working is emailed about once.
    """
    now = now or timezone.now()
    alert = False
    with transaction.atomic():
        credentials = ChannelCredentials.objects.select_for_update().filter(
            channel=channel).first()
        if credentials is None:
            return NOT_CONNECTED
        hidden = _secret_values(credentials)
        before = dict(credentials.last_check or {})
        since = before.get("not_working_since") if not _worked(before) else None
        state: dict[str, Any] = {
            "at": now.isoformat(), "credentials_ok": result.credentials_ok,
            "reachable": result.reachable,
            "lines": [redact(str(line), secrets=hidden) for line in result.lines]}
        if result.ok:
            outcome = RECOVERED if since else WORKING
        else:
            state["problem"] = redact(check_problem(result), secrets=hidden)
            state["not_working_since"] = since or now.isoformat()
            outcome = STILL_BROKEN if since else BROKE
            if before.get("alerted_at") and since:
                state["alerted_at"] = before["alerted_at"]
            elif notify:
                state["alerted_at"] = now.isoformat()
                alert = True
        credentials.last_check = state
        credentials.save(update_fields=["last_check"])
        if outcome in (BROKE, RECOVERED):
            audit_record(council=channel.council, actor=by, actor_label="" if by else
                         "channel check", obj=channel,
                         action="channel.stopped_working" if outcome == BROKE
                         else "channel.working_again",
                         data={"platform": channel.platform,
                               "problem": state.get("problem", "")})
    if alert:
        problem, broke_at = state["problem"], state["not_working_since"]
        transaction.on_commit(lambda: _alert(channel, problem, broke_at))
    return outcome


def _worked(check: dict[str, Any]) -> bool:
    return not check.get("at") or (bool(check.get("credentials_ok"))
                                   and bool(check.get("reachable")))


def admin_emails(*, council_id: int) -> list[str]:
    return sorted({m.user.email for m in Membership.objects.filter(
        council_id=council_id, role=Role.ADMIN, user__is_active=True).select_related("user")
        if m.user.email})


def _alert(channel: Channel, problem: str, broke_at: str) -> None:
    recipients = admin_emails(council_id=channel.council_id)
    if not recipients:
        logger.warning("Channel %s stopped working and its council has no administrator "
                       "with an email address to tell.", channel.pk)
        return
    connect = settings.TOWNHALL_BASE_URL + reverse("manage:channel-connect", args=[channel.pk])
    since = timezone.localtime(_time(broke_at) or timezone.now())
    try:
        send_mail(
            subject=_("%(channel)s has stopped working in Townhall") % {"channel": channel},
            message=_("Townhall checked the channel %(channel)s (%(platform)s). It has not "
                      "been working since %(when)s:\n\n%(problem)s\n\nUntil it is fixed, messages "
                      "may not reach Townhall and replies may not be sent. Reconnect the "
                      "channel, or check it again, here:\n%(url)s\n\nTownhall will not email "
                      "about this channel again until it has worked once more.") % {
                "channel": channel, "platform": channel.get_platform_display(),
                "when": date_format(since, "H:i, j F Y"), "problem": problem, "url": connect},
            from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients)
    except Exception as error:
        # Give the claim back, so the next re-check tries the email again.
        logger.error("Could not email the administrators about channel %s: %s", channel.pk,
                     redact(f"{type(error).__name__}: {error}"))
        with transaction.atomic():
            credentials = ChannelCredentials.objects.select_for_update().filter(
                channel=channel).first()
            if credentials is not None and credentials.last_check.get("alerted_at"):
                credentials.last_check = {k: v for k, v in credentials.last_check.items()
                                          if k != "alerted_at"}
                credentials.save(update_fields=["last_check"])


def connector_check(*, channel: Channel) -> CheckResult:
    """Run the channel's connector check; a channel it cannot build for fails in words."""
    try:
        return connector_for(channel).check()
    except (UnknownPlatform, ConnectorError) as error:
        return CheckResult(credentials_ok=False, reachable=False, lines=[str(error)])


def channels_recheck_all() -> dict[int, str]:
    """Check every active, connected channel (the scheduled re-check, every 6 hours).

    Returns what happened to each channel id; one channel's failure never stops the rest.
    """
    from townhall.connectors.selectors import channels_with_connector

    outcomes: dict[int, str] = {}
    for channel in channels_with_connector():
        try:
            outcomes[channel.pk] = channel_check_record(
                channel=channel, result=connector_check(channel=channel), notify=True)
        except Exception as error:
            logger.error("Re-checking channel %s failed: %s", channel.pk,
                         redact(f"{type(error).__name__}: {error}"))
            outcomes[channel.pk] = f"not checked: {type(error).__name__}"
    return outcomes


def channel_healths(*, council_id: int) -> dict[int, ChannelHealth]:
    """The last check of each of the council's connected channels, by channel id."""
    rows = ChannelCredentials.objects.filter(channel__council_id=council_id).values_list(
        "channel_id", "last_check")
    return {channel_id: health_from(check) for channel_id, check in rows}
