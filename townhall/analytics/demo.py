"""Afoncaster's wards and its targets for the financial year, then its roll-ups."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from townhall.analytics.fy import fy_of
from townhall.analytics.models import Target, TargetKind, Ward
from townhall.analytics.rollups import rollups_rebuild
from townhall.core.models import Council
from townhall.core.services import audit_record

# The demo generator's postcode districts (AC1 to AC12) and streets, two districts a
# ward, with the Welsh names of the streets that have them.
WARDS: dict[str, tuple[list[str], list[str]]] = {
    "Afoncaster Town": (["AC1", "AC2"], [
        "High Street", "Market Square", "Castle Way", "Bridge Street", "Church Road",
        "Station Road", "Victoria Road", "Queens Road", "Albert Street", "Kingsway",
        "Stryd Fawr", "Y Stryd Fawr", "Sgwâr y Farchnad", "Ffordd y Castell", "Stryd y Bont",
        "Heol yr Eglwys", "Heol yr Orsaf"]),
    "Pont-y-Felin and Millbrook": (["AC3", "AC4"], [
        "Mill Lane", "Water Street", "Riverside", "Ferry Road", "Foundry Row", "Colliers Way",
        "Lôn Isaf", "Lôn y Felin", "Stryd y Dŵr"]),
    "Llanhelyg and Cwmderwen": (["AC5", "AC6"], [
        "Mountain Road", "Tan-y-Bryn", "Heol y Nant", "Ffordd Derwen", "Maes y Coed",
        "Cae Mawr", "Heol y Mynydd"]),
    "Oakhurst Green and Castlemead": (["AC7", "AC8"], [
        "Oak Avenue", "Beech Close", "Willow Drive", "Meadow View", "Orchard Way",
        "Park Crescent"]),
    "Hollins End and Trefynach": (["AC9", "AC10"], [
        "Green Lane", "School Lane", "Chapel Street", "Hillside", "Sandy Lane",
        "Vicarage Lane", "Lôn Las", "Lôn yr Ysgol", "Stryd y Capel"]),
    "Brynteg, Wernford and Glan-yr-afon": (["AC11", "AC12"], [
        "Wern Road", "Greenfield Terrace", "Abbey Road", "The Paddocks", "Primrose Hill",
        "Heol Wern"]),
}

# What Afoncaster promised its councillors for the year (decision 0702 explains the
# projection each is shown with).
TARGETS: list[dict[str, Any]] = [
    {"kind": TargetKind.FIRST_RESPONSE, "percent": Decimal(50), "office_minutes": 120},
    # Within each conversation's own response target (townhall.respond's demo sets
    # them by category and priority).
    {"kind": TargetKind.FIRST_RESPONSE, "percent": Decimal(90), "office_minutes": None},
    {"kind": TargetKind.RESOLUTION, "percent": Decimal(50), "office_minutes": 2400},
    {"kind": TargetKind.SHIFT_RATE, "percent": Decimal(20)},
    {"kind": TargetKind.MONEY_SAVED, "amount_pence": 50_000 * 100},
    {"kind": TargetKind.WELSH_IN_WELSH, "percent": Decimal(95)},
]


@transaction.atomic
def demo_install(council: Council, *, today: date | None = None) -> int:
    """Wards, this financial year's targets, and roll-ups counted from the demo data.
    Returns how many targets were added; running it again adds nothing."""
    year = fy_of(today or timezone.localdate())
    for name, (districts, streets) in WARDS.items():
        Ward.objects.get_or_create(council=council, name=name, defaults={
            "postcode_districts": districts, "streets": streets})
    added = 0
    for spec in TARGETS:
        _target, created = Target.objects.get_or_create(
            council=council, year=year, kind=spec["kind"],
            office_minutes=spec.get("office_minutes"), defaults={
                "percent": spec.get("percent"), "amount_pence": spec.get("amount_pence")})
        added += int(created)
    if added:
        audit_record(council=council, actor=None, actor_label="demo",
                     action="analytics.demo_installed", data={"year": year, "targets": added})
    rollups_rebuild(council=council, today=today)
    return added
