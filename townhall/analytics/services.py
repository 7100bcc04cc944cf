"""Changes people make to analytics: targets, wards and report emails, each audited."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from townhall.accounts.models import Membership
from townhall.analytics.buckets import BOUNDS_MINUTES
from townhall.analytics.models import (
    SHARE_KINDS,
    TIMED_KINDS,
    ReportSubscription,
    Target,
    TargetKind,
    Ward,
)
from townhall.analytics.rollups import rollups_rebuild_needed
from townhall.core.services import audit_record


def _supervisor(by: Membership, council_id: int) -> None:
    if by.council_id != council_id or not by.is_supervisor_or_admin:
        raise PermissionDenied(_("Only a supervisor or an administrator can do this."))


def _clean_target(*, kind: str, percent: Decimal | None, office_minutes: int | None,
                  amount_pence: int | None) -> dict[str, Any]:
    if kind not in TargetKind.values:
        raise ValidationError(_("Choose what the target is about"))
    values: dict[str, Any] = {"percent": None, "office_minutes": None, "amount_pence": None}
    if kind in SHARE_KINDS:
        if percent is None or not Decimal(0) < percent <= Decimal(100):
            raise ValidationError(_("Enter a percentage between 0 and 100"))
        values["percent"] = percent
    # A timed target without a time measures each conversation against its own
    # response target (townhall.respond); with one, against that time.
    if kind in TIMED_KINDS and office_minutes is not None:
        if office_minutes not in BOUNDS_MINUTES:
            raise ValidationError(_("Choose a time from the list"))
        values["office_minutes"] = office_minutes
    if kind == TargetKind.MONEY_SAVED:
        if amount_pence is None or amount_pence <= 0:
            raise ValidationError(_("Enter an amount of money more than £0"))
        values["amount_pence"] = amount_pence
    return values


@transaction.atomic
def target_set(*, by: Membership, year: int, kind: str, percent: Decimal | None = None,
               office_minutes: int | None = None, amount_pence: int | None = None,
               target: Target | None = None) -> Target:
    """Add a target for a financial year, or change one."""
    _supervisor(by, by.council_id)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Enter a financial year between 2000 and 2100"))
    values = _clean_target(kind=kind, percent=percent, office_minutes=office_minutes,
                           amount_pence=amount_pence)
    if target is not None and target.council_id != by.council_id:
        raise PermissionDenied
    before = None if target is None else _target_data(target)
    target = target or Target(council_id=by.council_id)
    target.year, target.kind = year, kind
    for name, value in values.items():
        setattr(target, name, value)
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise ValidationError(_("There is already a target like this for that year. Change "
                                "that one instead.")) from None
    audit_record(council=by.council, actor=by.user,
                 action="analytics.target_changed" if before else "analytics.target_added",
                 obj=target, data={"before": before, "after": _target_data(target)})
    return target


def _target_data(target: Target) -> dict[str, Any]:
    return {"year": target.year, "kind": target.kind,
            "percent": None if target.percent is None else str(target.percent),
            "office_minutes": target.office_minutes, "amount_pence": target.amount_pence}


@transaction.atomic
def target_delete(*, by: Membership, target: Target) -> None:
    _supervisor(by, target.council_id)
    data = _target_data(target)
    audit_record(council=by.council, actor=by.user, action="analytics.target_removed",
                 obj=target, data=data)
    target.delete()


@transaction.atomic
def ward_set(*, by: Membership, name: str, postcode_districts: list[str], streets: list[str],
             ward: Ward | None = None) -> Ward:
    """Add or change a ward; every conversation's ward is worked out again afterwards."""
    if by.council_id != (ward.council_id if ward else by.council_id) or not by.is_admin:
        raise PermissionDenied(_("Only an administrator can change wards."))
    name = name.strip()
    if not name:
        raise ValidationError(_("Enter the ward's name"))
    if not postcode_districts and not streets:
        raise ValidationError(_("Enter at least one postcode district or street"))
    clash = Ward.objects.filter(council_id=by.council_id, name__iexact=name)
    if ward is not None:
        clash = clash.exclude(pk=ward.pk)
    if clash.exists():
        raise ValidationError(_("There is already a ward with that name"))
    ward = ward or Ward(council_id=by.council_id)
    ward.name, ward.postcode_districts, ward.streets = name, postcode_districts, streets
    ward.save()
    audit_record(council=by.council, actor=by.user, action="analytics.ward_saved", obj=ward,
                 data={"name": name, "postcode_districts": postcode_districts,
                       "streets": len(streets)})
    rollups_rebuild_needed(council=by.council)
    return ward


@transaction.atomic
def ward_delete(*, by: Membership, ward: Ward) -> None:
    if ward.council_id != by.council_id or not by.is_admin:
        raise PermissionDenied(_("Only an administrator can change wards."))
    audit_record(council=by.council, actor=by.user, action="analytics.ward_removed",
                 obj=ward, data={"name": ward.name})
    ward.delete()
    rollups_rebuild_needed(council=by.council)


@transaction.atomic
def report_subscription_set(*, by: Membership, subscribed: bool) -> bool:
    """Start or stop emailing this supervisor the committee report each month."""
    _supervisor(by, by.council_id)
    existing = ReportSubscription.objects.filter(council_id=by.council_id, user=by.user)
    if subscribed and not existing.exists():
        ReportSubscription.objects.create(council_id=by.council_id, user=by.user)
        audit_record(council=by.council, actor=by.user, action="analytics.report_subscribed")
    elif not subscribed and existing.exists():
        existing.delete()
        audit_record(council=by.council, actor=by.user, action="analytics.report_unsubscribed")
    return subscribed
