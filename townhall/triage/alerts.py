"""Safeguarding alerts: email the duty team; list and acknowledge them in the app."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from townhall.accounts.models import Membership, Role
from townhall.core.services import audit_record
from townhall.triage.models import SafeguardingAlert

REASON_WORDS = {
    "self_harm": "self-harm or suicide",
    "child_at_risk": "a child at risk",
    "vulnerable_adult_at_risk": "a vulnerable adult at risk",
    "domestic_abuse": "domestic abuse",
    "exploitation": "exploitation",
    "danger_to_life": "immediate danger to life",
    "triage_failed": "automatic triage failed, so a person must read it",
}


def alert_recipients(*, council_id: int) -> list[str]:
    """The duty team's address, or failing that every supervisor's and admin's."""
    from townhall.core.models import Council

    council = Council.objects.get(pk=council_id)
    if council.safeguarding_email:
        return [council.safeguarding_email]
    return sorted({
        m.user.email for m in Membership.objects.filter(
            council_id=council_id, role__in=[Role.SUPERVISOR, Role.ADMIN], user__is_active=True
        ).select_related("user") if m.user.email
    })


def alert_email_send(*, alert_id: int) -> None:
    """Email the alert. The message text stays in Townhall: email is not a safe place."""
    alert = SafeguardingAlert.objects.select_related("conversation").get(pk=alert_id)
    if alert.emailed_at is not None:
        return
    recipients = alert_recipients(council_id=alert.council_id)
    reasons = ", ".join(REASON_WORDS.get(r, r) for r in alert.reasons) or "a critical message"
    link = f"{settings.TOWNHALL_BASE_URL}/conversations/{alert.conversation_id}/"
    if not recipients:
        SafeguardingAlert.objects.filter(pk=alert.pk).update(
            email_error="No duty address, supervisor or admin email is set.")
        return
    send_mail(
        subject=f"Urgent: a resident's message may need help now ({reasons})",
        message=(f"Townhall flagged a message as {alert.priority} because it suggests "
                 f"{reasons}.\n\nOpen it now: {link}\n\n"
                 "The message itself is only shown in Townhall."),
        from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients,
    )
    SafeguardingAlert.objects.filter(pk=alert.pk).update(emailed_at=timezone.now(),
                                                         email_error="")


def alerts_open(*, membership: Membership) -> list[SafeguardingAlert]:
    """Unacknowledged alerts: every member of the council sees them until one acts."""
    return list(SafeguardingAlert.objects.filter(
        council_id=membership.council_id, acknowledged_at__isnull=True
    ).select_related("conversation", "message").order_by("created_at")[:50])


@transaction.atomic
def alert_acknowledge(*, membership: Membership, alert_id: int) -> SafeguardingAlert:
    alert = SafeguardingAlert.objects.select_for_update().get(
        pk=alert_id, council_id=membership.council_id)
    if alert.acknowledged_at is None:
        alert.acknowledged_by = membership.user
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_record(council=membership.council, actor=membership.user,
                     action="safeguarding_alert.acknowledged", obj=alert)
    return alert
