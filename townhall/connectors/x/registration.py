"""Registering the X app's shared webhook address with X and subscribing an account to it.

`x_webhook_register` is what "Register webhook and subscribe" and
`townhall connectors x-webhook CHANNEL register` do. The address is the app's, shared by
every X channel of the council on that app (x/app_webhook.py): it adopts the webhook X
already has for it (asking X to check it again if X marked it invalid), or registers it,
which X checks at once with a CRC request to Townhall; then it subscribes the channel's
account. So a second channel on the app only subscribes. When X's limit is taken by a
webhook at a channel's own address from before addresses were shared, that webhook is
moved: deleted, the app's registered, and the accounts that used it subscribed again.
The webhook id is kept in each channel's settings with an audit event. Every step says
what happened in plain words; no secret is ever in them.
"""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import reverse

from townhall.connectors.errors import ConnectorError, NotConfigured, RetriableError
from townhall.connectors.models import Channel, ChannelCredentials
from townhall.connectors.registry import connector_for
from townhall.connectors.x.account_activity import (
    REASONS,
    AccountActivity,
    Webhook,
    reason_of,
    url_problem,
)
from townhall.connectors.x.app_webhook import x_app_key_for, x_app_webhook_path
from townhall.connectors.x.connector import XConnector
from townhall.core.services import audit_record


@dataclass
class WebhookOutcome:
    """What happened, step by step, and whether X now sends the account's activity."""

    ok: bool = False
    lines: list[str] = field(default_factory=list)
    problem: str = ""
    webhook_id: str = ""
    subscribed: bool = False

    def fail(self, problem: str) -> "WebhookOutcome":
        self.ok, self.problem = False, problem
        return self


def x_webhook_url(*, channel: Channel, base_url: str) -> str:
    """The webhook address of the channel's X app under Townhall's public address.

    Without the app's API key secret the app is unknown, so this is the channel's own
    address; registering then says the secret is missing before anything else."""
    try:
        path = x_app_webhook_path(x_app_key_for(channel=channel, connector=_connector(channel)))
    except NotConfigured:
        path = _channel_path(channel)
    return f"{base_url.rstrip('/')}{path}"


def _channel_path(channel: Channel) -> str:
    """A channel's own address, which channels registered before addresses were shared
    still use (the generic platform webhook view answers it)."""
    return reverse("connector-webhook", args=[channel.platform, channel.key])


def _connector(channel: Channel) -> XConnector:
    connector = connector_for(channel)
    if not isinstance(connector, XConnector):
        raise ValueError("Only an X channel has an X webhook.")
    return connector


def _explain(error: ConnectorError, doing: str) -> str:
    if isinstance(error, NotConfigured):
        return str(error)
    reason = reason_of(error)
    if reason:
        return f"{REASONS[reason]} (X said: {reason}.)"
    if isinstance(error, RetriableError):
        return f"X could not be reached while {doing}: {error} Try again in a few minutes."
    return f"X refused while {doing}: {error}"


@dataclass
class _Moving:
    """A webhook at another Townhall address of this council (a channel's own, from
    before addresses were shared, or an earlier app key), and the channels using it."""

    webhook: Webhook
    channels: list[Channel]
    deleted: bool = False


def x_webhook_register(*, channel: Channel, url: str, by: Any,
                       ip_address: str | None = None) -> WebhookOutcome:
    outcome = WebhookOutcome()
    connector = _connector(channel)
    problem = url_problem(url)
    if problem:
        return outcome.fail(problem)
    if not channel.is_active:
        return outcome.fail("The channel is switched off, so Townhall would refuse X's "
                            "check of the address. Switch the channel on, then try again.")
    if not connector.config.has_secret("consumer_secret"):
        return outcome.fail("Townhall cannot answer X's check of the address without the "
                            "app's API key secret. Enter it on this page (or set "
                            "TOWNHALL_X_CONSUMER_SECRET), then try again.")
    key = x_app_key_for(channel=channel, connector=connector)
    path = x_app_webhook_path(key)
    if not urlsplit(url).path.endswith(path):
        return outcome.fail(f"The address {url} is not where Townhall answers X for this "
                            f"channel's X app. It must end with {path}, the address every "
                            "X channel of the council on the same app shares.")
    before = dict(connector.config.settings)
    if before.get("x_app_key") != key:
        # Stored before X is asked, so the address already answers X's CRC check.
        _settings_change(channel=channel, values={"x_app_key": key}, by=by,
                         ip_address=ip_address, action="channel.x_webhook_address_set",
                         data={"url": url})
    api = AccountActivity(connector)
    try:
        listing = api.webhooks()
        moving = _other_townhall_webhooks(listing, channel=channel, url=url, key=key)
        webhook = _webhook_for(api, url, outcome, listing=listing, moving=moving)
    except ConnectorError as error:
        return outcome.fail(_limit_or_explain(api, error, url))
    if webhook is None:
        return outcome
    outcome.webhook_id = webhook.id
    if str(before.get("webhook_id") or "") != webhook.id:
        _settings_change(channel=channel, values={"webhook_id": webhook.id}, by=by,
                         ip_address=ip_address, action="channel.x_webhook_registered",
                         data={"webhook_id": webhook.id, "url": url})
    for move in moving:
        _move(api, move, webhook=webhook, key=key, url=url, outcome=outcome,
              skip=channel, by=by, ip_address=ip_address)
    try:
        if api.subscribed(webhook.id):
            outcome.lines.append("The council's account was already subscribed, so X "
                                 "already sends its posts and messages to Townhall.")
        else:
            api.subscribe(webhook.id)
            if not api.subscribed(webhook.id):
                return outcome.fail("X accepted the subscription but does not list it yet. "
                                    "Check again in a minute.")
            outcome.lines.append("Subscribed the council's account: X now sends its posts "
                                 "and messages to Townhall as they happen.")
            _audit(channel, by, ip_address, "channel.x_webhook_subscribed",
                   {"webhook_id": webhook.id})
    except ConnectorError as error:
        return outcome.fail(_subscription_problem(error))
    outcome.ok = outcome.subscribed = True
    return outcome


def _other_townhall_webhooks(listing: list[Webhook], *, channel: Channel, url: str,
                             key: str) -> list[_Moving]:
    """The app's webhooks (X lists only this app's) at another address Townhall serves
    for this council's X channels, on the same host as `url`."""
    prefix = url[:len(url) - len(x_app_webhook_path(key))]
    rows = list(ChannelCredentials.objects.select_related("channel").filter(
        channel__council_id=channel.council_id, channel__platform="x").order_by("channel_id"))
    addresses = {prefix + _channel_path(row.channel) for row in rows}
    addresses |= {prefix + x_app_webhook_path(str(row.settings["x_app_key"]))
                  for row in rows if row.settings.get("x_app_key")}
    addresses.discard(url)
    return [_Moving(webhook=w, channels=[row.channel for row in rows
                                         if str(row.settings.get("webhook_id")) == w.id])
            for w in listing if w.url in addresses]


def _webhook_for(api: AccountActivity, url: str, outcome: WebhookOutcome, *,
                 listing: list[Webhook], moving: list[_Moving]) -> Webhook | None:
    """The app's webhook for this address: adopted, checked again, or registered now."""
    existing = next((w for w in listing if w.url == url), None)
    if existing is None:
        try:
            made = _create(api, url, outcome, moving)
        except ConnectorError as error:
            if reason_of(error) != "DuplicateUrlFailed":
                raise
            # Registered by someone else between the listing and now: adopt it.
            existing = next((w for w in api.webhooks() if w.url == url), None)
            if existing is None:
                raise
        else:
            outcome.lines.append(f"Registered {url} with X as webhook {made.id}. X checked "
                                 "the address and Townhall answered in time.")
            return made
    outcome.lines.append(f"X already had {url} registered as webhook {existing.id}, so "
                         "Townhall uses that one.")
    if not existing.valid:
        api.recheck(existing.id)
        again = next((w for w in api.webhooks() if w.id == existing.id), existing)
        if not again.valid:
            outcome.fail(f"X still marks webhook {existing.id} as invalid after checking it "
                         "again. " + REASONS["CrcValidationFailed"])
            return None
        outcome.lines.append("X had marked it invalid; it checked the address again and "
                             "Townhall answered, so it is valid now.")
    return existing


def _create(api: AccountActivity, url: str, outcome: WebhookOutcome,
            moving: list[_Moving]) -> Webhook:
    """Register the address. If X's limit is taken by Townhall's own older webhooks for
    this council, delete those first: their accounts are subscribed again afterwards,
    and polling covers the moment in between."""
    try:
        return api.create(url)
    except ConnectorError as error:
        if reason_of(error) != "WebhookLimitExceeded" or not moving:
            raise
    for move in moving:
        _delete_quietly(api, move.webhook.id)
        move.deleted = True
        outcome.lines.append(
            f"Removed webhook {move.webhook.id} ({move.webhook.url}) to make room: X allows "
            "this app no more webhooks, and that address is one Townhall used for this "
            "council before its X channels shared one address.")
    try:
        return api.create(url)
    except ConnectorError:
        users = ", ".join(str(c) for m in moving for c in m.channels)
        if users:
            outcome.lines.append(f"X then refused the shared address, so it sends nothing "
                                 f"for {users} now. Townhall polls X for them until the "
                                 "webhook is registered again.")
        raise


def _delete_quietly(api: AccountActivity, webhook_id: str) -> None:
    """Delete a webhook; one X no longer has is already gone."""
    try:
        api.delete(webhook_id)
    except ConnectorError as error:
        if getattr(error, "status", None) != 404 and reason_of(error) != "WebhookIdInvalid":
            raise


def _move(api: AccountActivity, move: _Moving, *, webhook: Webhook, key: str, url: str,
          outcome: WebhookOutcome, skip: Channel, by: Any, ip_address: str | None) -> None:
    """Subscribe the accounts that used an older Townhall webhook to the app's, then
    delete the older one unless an account could not be moved."""
    stayed = []
    for other in move.channels:
        if other.pk == skip.pk:
            continue
        if not other.is_active:
            outcome.lines.append(f"{other} is switched off, so it was not subscribed to "
                                 f"webhook {webhook.id}. Register it when it is switched on.")
            continue
        try:
            theirs = AccountActivity(_connector(other))
            if not theirs.subscribed(webhook.id):
                theirs.subscribe(webhook.id)
        except ConnectorError as error:
            stayed.append(other)
            outcome.lines.append(f"Could not subscribe {other} to webhook {webhook.id}: "
                                 f"{_subscription_problem(error)} Register that channel "
                                 "again.")
            continue
        _settings_change(channel=other, values={"webhook_id": webhook.id, "x_app_key": key},
                         by=by, ip_address=ip_address, action="channel.x_webhook_registered",
                         data={"webhook_id": webhook.id, "url": url,
                               "moved_from": move.webhook.id})
        outcome.lines.append(f"Subscribed {other} to the shared webhook {webhook.id}; it "
                             f"used webhook {move.webhook.id} before.")
    if move.deleted or stayed:
        return
    try:
        _delete_quietly(api, move.webhook.id)
    except ConnectorError as error:
        outcome.lines.append(f"Could not delete the older webhook {move.webhook.id}: "
                             f"{_explain(error, 'deleting it')}")
        return
    outcome.lines.append(f"Deleted the older webhook {move.webhook.id} "
                         f"({move.webhook.url}): X sends to the shared address instead.")


def _limit_or_explain(api: AccountActivity, error: ConnectorError, url: str) -> str:
    if reason_of(error) != "WebhookLimitExceeded":
        return _explain(error, "registering the address")
    try:
        others = [w.url for w in api.webhooks() if w.url != url]
    except ConnectorError:
        others = []
    listed = f" X has: {', '.join(others)}." if others else ""
    return (f"{REASONS['WebhookLimitExceeded']}{listed} Remove a webhook the app no longer "
            "uses (townhall connectors x-webhook CHANNEL remove, or the developer console), "
            "or ask X for a plan with more, then try again.")


def _subscription_problem(error: ConnectorError) -> str:
    text = f"{error} {getattr(error, 'body', '')}".lower()
    if "limit" in text or "exceed" in text:
        return ("X refused to subscribe the council's account: the X app already has as "
                "many subscribed accounts as its plan allows. Remove an account the app no "
                "longer needs, or ask X for a plan with more. Until then Townhall polls X "
                "for this account.")
    return _explain(error, "subscribing the council's account")


def x_webhook_status(*, channel: Channel) -> WebhookOutcome:
    """What X says of the channel's webhook and subscription, changing nothing."""
    outcome = WebhookOutcome()
    connector = _connector(channel)
    webhook_id = str(connector.config.get("webhook_id") or "")
    if not webhook_id:
        return outcome.fail("No X webhook is registered for this channel, so Townhall polls "
                            "X for new posts and messages.")
    api = AccountActivity(connector)
    try:
        found = next((w for w in api.webhooks() if w.id == webhook_id), None)
        if found is None:
            return outcome.fail(f"X has no webhook {webhook_id} for the app any more. "
                                "Register the webhook again.")
        outcome.webhook_id = webhook_id
        outcome.lines.append(f"Webhook {webhook_id} sends to {found.url}.")
        if not found.valid:
            return outcome.fail("X marks the webhook invalid: its last check of the address "
                                "failed. Register the webhook again to have X check it.")
        outcome.lines.append("X marks the webhook valid.")
        sharing = _sharing(channel, webhook_id)
        if sharing:
            outcome.lines.append(f"The council's other X channels on the app use it too: "
                                 f"{', '.join(str(c) for c in sharing)}.")
        outcome.subscribed = api.subscribed(webhook_id)
    except ConnectorError as error:
        return outcome.fail(_explain(error, "reading the webhook"))
    if not outcome.subscribed:
        return outcome.fail("The council's account is not subscribed, so X does not send its "
                            "activity to Townhall. Register the webhook again to subscribe.")
    outcome.lines.append("The council's account is subscribed: X sends its posts and "
                         "messages to Townhall.")
    outcome.ok = True
    return outcome


def _sharing(channel: Channel, webhook_id: str) -> list[Channel]:
    """The council's other channels whose settings name this webhook."""
    return list(Channel.objects.filter(
        council_id=channel.council_id, platform="x",
        credentials__settings__webhook_id=webhook_id).exclude(pk=channel.pk).order_by("id"))


def x_webhook_remove(*, channel: Channel, by: Any,
                     ip_address: str | None = None) -> WebhookOutcome:
    """Unsubscribe the account and forget the webhook's id; delete the webhook at X too
    unless another of the council's channels still uses it. A webhook or subscription X
    no longer has counts as removed."""
    outcome = WebhookOutcome()
    connector = _connector(channel)
    webhook_id = str(connector.config.get("webhook_id") or "")
    if not webhook_id:
        outcome.ok = True
        outcome.lines.append("No X webhook is registered for this channel; nothing to remove.")
        return outcome
    api = AccountActivity(connector)
    steps = [("unsubscribing the council's account", api.unsubscribe,
              "Unsubscribed the council's account.", "X had no subscription for the account.")]
    sharing = _sharing(channel, webhook_id)
    if not sharing:
        steps.append(("deleting the webhook", api.delete, f"Deleted webhook {webhook_id} at X.",
                      f"X no longer had webhook {webhook_id}."))
    for doing, call, done, gone in steps:
        try:
            call(webhook_id)
        except ConnectorError as error:
            if getattr(error, "status", None) != 404 and reason_of(error) != "WebhookIdInvalid":
                return outcome.fail(_explain(error, doing))
            done = gone
        outcome.lines.append(done)
    if sharing:
        outcome.lines.append(f"Kept webhook {webhook_id} at X, because these channels "
                             f"still use it: {', '.join(str(c) for c in sharing)}.")
    _settings_change(channel=channel, values={}, drop=("webhook_id", "x_app_key"), by=by,
                     ip_address=ip_address, action="channel.x_webhook_removed",
                     data={"webhook_id": webhook_id})
    outcome.lines.append("Townhall polls X for new posts and messages from now on.")
    outcome.ok = True
    return outcome


def _audit(channel: Channel, by: Any, ip_address: str | None, action: str,
           data: dict[str, Any]) -> None:
    who = by if getattr(by, "is_authenticated", False) else None
    audit_record(council=channel.council, actor=who, actor_label="" if who else "command line",
                 action=action, obj=channel, data=data, ip_address=ip_address)


def _settings_change(*, channel: Channel, values: dict[str, Any], by: Any,
                     ip_address: str | None, action: str, data: dict[str, Any],
                     drop: tuple[str, ...] = ()) -> None:
    """Merge `values` into the channel's settings (and remove `drop`) under a row lock,
    with the audit event in the same transaction. No network call is made while the
    lock is held."""
    with transaction.atomic():
        credentials, _ = ChannelCredentials.objects.select_for_update().get_or_create(
            channel=channel)
        settings = {k: v for k, v in {**credentials.settings, **values}.items()
                    if k not in drop}
        credentials.settings = settings
        credentials.save(update_fields=["settings", "updated_at"])
        _audit(channel, by, ip_address, action, data)
