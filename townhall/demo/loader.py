"""Load the generated demo council into the database through the normal ingest path."""

import secrets
from datetime import date
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from townhall.accounts.models import Membership, Role
from townhall.accounts.services import account_restore, team_create, user_create
from townhall.accounts.throttle import login_is_locked
from townhall.analytics.demo import demo_install as analytics_demo_install
from townhall.connectors.demo import demo_install as connectors_demo_install
from townhall.connectors.services import channel_create
from townhall.core.lib.db import update_rows
from townhall.core.models import Council
from townhall.core.services import council_create
from townhall.demo.generator import DemoCouncil, generate
from townhall.inbox.models import Conversation, Identity, Message, Resident, Status
from townhall.inbox.services import saved_replies_install
from townhall.ingest.items import IncomingItem
from townhall.ingest.models import Source
from townhall.ingest.services import items_ingest, make_channel_cache
from townhall.listening.demo import demo_install as listening_demo_install
from townhall.respond.demo import demo_install as respond_demo_install
from townhall.shift.demo import demo_install as shift_demo_install
from townhall.triage.models import SafeguardingAlert
from townhall.triage.services import taxonomy_install

BATCH = 2000
# The accounts the demo is shown with, one of each role (townhall.demo.generator.council).
DEMO_LOGINS = ("officer", "supervisor", "admin")


def _items(demo: DemoCouncil) -> list[IncomingItem]:
    items = []
    for conversation in demo.conversations:
        for m in conversation.messages:
            items.append(IncomingItem(
                platform=conversation.platform, channel=conversation.channel_handle,
                platform_message_id=m.platform_message_id, author=m.author,
                author_name=m.author_name, text=m.text, created_at=m.created_at,
                direction=m.direction, thread_id=conversation.thread_id,
                in_reply_to=m.in_reply_to or "", attachments=list(m.attachments),
            ))
    return items


def _apply_history(council: Council, demo: DemoCouncil) -> None:
    """Give conversations the outcome the officers reached: team, assignee, status."""
    users = {u.username: u for u in get_user_model().objects.filter(
        memberships__council=council)}
    teams = {t.code: t for t in council.teams.all()}
    categories = {c.code: c for c in council.categories.all()}
    by_key = {(c.channel.handle, c.thread_key): c
              for c in Conversation.objects.filter(council=council).select_related("channel")}
    changed = []
    for spec in demo.conversations:
        conversation = by_key[(spec.channel_handle, spec.thread_id)]
        conversation.status = spec.status
        conversation.team = teams.get(spec.team_code or "")
        conversation.assignee = users.get(spec.assignee_username or "")
        conversation.category = categories.get(spec.category)
        conversation.priority = spec.priority
        conversation.safeguarding = spec.safeguarding
        conversation.language = spec.messages[0].language if spec.messages else ""
        conversation.closed_at = (conversation.last_message_at
                                  if spec.status == Status.CLOSED else None)
        changed.append(conversation)
    update_rows(Conversation, changed, ["status", "team", "assignee", "category", "priority",
                                        "safeguarding", "language", "closed_at"])
    senders: dict[str, list[str]] = {}
    for spec in demo.conversations:
        for m in spec.messages:
            if m.officer_username:
                senders.setdefault(m.officer_username, []).append(m.platform_message_id)
    for username, ids in senders.items():
        for start in range(0, len(ids), 500):
            Message.objects.filter(council=council, direction="out",
                                   platform_message_id__in=ids[start:start + 500]
                                   ).update(sent_by=users[username])


def _close_old_alerts(council: Council) -> None:
    """Alerts on conversations the council has since answered were dealt with then."""
    for alert in SafeguardingAlert.objects.filter(
            council=council, acknowledged_at__isnull=True,
            conversation__first_response_at__isnull=False).select_related("conversation"):
        first_reply = (Message.objects.filter(conversation=alert.conversation, direction="out")
                       .exclude(sent_by=None).order_by("created_at").first())
        alert.acknowledged_at = alert.conversation.first_response_at
        alert.acknowledged_by = first_reply.sent_by if first_reply else None
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])


def _merge_people(council: Council, demo: DemoCouncil) -> None:
    """One resident who wrote from two platforms becomes one person with two identities."""
    owner = {(p, h): r.key for r in demo.residents for p, h in r.identities}
    first: dict[str, int] = {}
    moved = []
    for identity in Identity.objects.filter(council=council).order_by("id"):
        key = owner.get((identity.platform, identity.handle))
        if key is None:
            continue
        if key not in first:
            first[key] = identity.resident_id
        elif identity.resident_id != first[key]:
            Conversation.objects.filter(resident_id=identity.resident_id).update(
                resident_id=first[key])
            moved.append(identity.resident_id)
            identity.resident_id = first[key]
            identity.save(update_fields=["resident"])
    Resident.objects.filter(pk__in=moved).delete()


def demo_load(*, password: str | None, seed: int, end: str | None, out: TextIO) -> int:
    demo = generate(end=date.fromisoformat(end) if end else None, seed=seed)
    existing = Council.objects.filter(slug=demo.slug).first()
    password = password or secrets.token_urlsafe(9)
    if existing is not None:
        council = existing
        out.write(f"The demo council {demo.slug} is already loaded; resetting the demo "
                  "users' passwords and making sure they can sign in.\n")
    else:
        with transaction.atomic():
            council = council_create(slug=demo.slug, name=demo.name, actor_label="demo")
            council.welsh_language_standards = True
            council.save(update_fields=["welsh_language_standards"])
            taxonomy_install(council=council)
            saved_replies_install(council_id=council.pk)
            for team in demo.teams:
                team_create(council=council, code=team.code, name=team.name)
            for spec in demo.channels:
                channel_create(council=council, platform=spec.platform, handle=spec.handle,
                               name=spec.name, actor_label="demo")
    teams = {t.code: t for t in council.teams.all()}
    notes = []
    for officer in demo.officers:
        paused = login_is_locked(username=officer.username, ip_address=None)
        # Sets the password and lifts any pause on signing in with the username.
        user = user_create(council=council, username=officer.username, password=password,
                           role=Role(officer.role), first_name=officer.first_name,
                           last_name=officer.last_name, email=officer.email,
                           teams=[teams[officer.team_code]] if officer.team_code in teams
                           else [], actor_label="demo")
        changes = account_restore(
            membership=Membership.objects.get(user_id=user.pk, council=council),
            actor_label="demo")
        if paused:
            changes.insert(0, "no longer paused after too many failed sign-ins")
        if changes:
            notes.append(f"{officer.username} can sign in again: {'; '.join(changes)}.")
    if existing is None:
        items = _items(demo)
        channels = make_channel_cache(council)
        created = 0
        for start in range(0, len(items), BATCH):
            created += items_ingest(council=council, items=items[start:start + BATCH],
                                    source=Source.IMPORT, channels=channels).created
        _merge_people(council, demo)
        _apply_history(council, demo)
        _close_old_alerts(council)
        respond_demo_install(council, today=date.fromisoformat(end) if end else None)
        listening_demo_install(council, today=date.fromisoformat(end) if end else None)
        shift_demo_install(council, today=date.fromisoformat(end) if end else None)
        analytics_demo_install(council, today=date.fromisoformat(end) if end else None)
        connectors_demo_install(council, today=date.fromisoformat(end) if end else None)
        out.write(f"Loaded {created:,} messages in {len(demo.conversations):,} conversations.\n")
    for note in notes:
        out.write(f"{note}\n")
    out.write(f"{demo.slug}\n")
    _write_logins(council, demo, password, out)
    return 0


def _write_logins(council: Council, demo: DemoCouncil, password: str, out: TextIO) -> None:
    """The accounts to sign in with, as the database now has them."""
    found = {m.user.get_username(): m for m in Membership.objects.filter(
        council=council, user__username__in=[o.username for o in demo.officers])
        .select_related("user").prefetch_related("teams")}
    out.write(f"Sign in at {settings.TOWNHALL_BASE_URL}/login/ with the password: "
              f"{password}\n")
    for username in DEMO_LOGINS:
        membership = found.get(username)
        if membership is None:
            continue
        teams = ", ".join(t.name for t in membership.teams.all())
        out.write(f"  {username:<11} {membership.user.get_full_name()}, "
                  f"{membership.get_role_display().lower()}"
                  f"{', ' + teams if teams else ''}\n")
        elsewhere = Membership.objects.filter(user=membership.user).order_by("id").first()
        if elsewhere is not None and elsewhere.council_id != council.pk:
            out.write(f"  (this account also belongs to {elsewhere.council.name}, which it "
                      "opens first)\n")
    others = [o.username for o in demo.officers if o.username not in DEMO_LOGINS]
    out.write(f"The other {len(others)} demo staff ({', '.join(others[:3])} and so on) "
              "use the same password.\n")
