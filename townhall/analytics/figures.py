"""Summed roll-up rows and what they say: medians by band, shares within a target."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum

from townhall.analytics.buckets import BOUNDS_MINUTES, count_within, percentile_bucket
from townhall.analytics.models import (
    COUNT_MEASURES,
    FR_BANDS,
    MEASURES,
    RES_BANDS,
    SPLIT_MEASURES,
)

SUMS = {f"sum_{m}": Sum(m) for m in MEASURES}
VOLUME_SUMS = {f"sum_{m}": Sum(m) for m in ("messages_in", "messages_out", "contacts")}
SPLIT_SUMS = {f"sum_{m}": Sum(m) for m in SPLIT_MEASURES}
CONTACT_SUMS = {"sum_contacts": Sum("contacts")}


@dataclass
class Totals:
    values: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> "Totals":
        return cls({m: int(row.get(f"sum_{m}") or 0) for m in MEASURES
                    if f"sum_{m}" in row})

    def __getattr__(self, name: str) -> int:
        if name in MEASURES:
            return self.values.get(name, 0)
        raise AttributeError(name)

    def add(self, other: "Totals") -> None:
        for key, value in other.values.items():
            self.values[key] = self.values.get(key, 0) + value

    @property
    def first_response_bands(self) -> list[int]:
        return [self.values.get(b, 0) for b in FR_BANDS]

    @property
    def resolution_bands(self) -> list[int]:
        return [self.values.get(b, 0) for b in RES_BANDS]

    def band(self, kind: str, q: float) -> int | None:
        bands = self.first_response_bands if kind == "fr" else self.resolution_bands
        return percentile_bucket(bands, q)

    def within(self, kind: str, minutes: int) -> int:
        bands = self.first_response_bands if kind == "fr" else self.resolution_bands
        return count_within(bands, minutes)

    def share_within(self, kind: str, minutes: int) -> float | None:
        total = self.answered if kind == "fr" else self.resolved
        return self.within(kind, minutes) / total if total else None

    @property
    def welsh_share(self) -> float | None:
        return self.welsh_in_welsh / self.welsh_replied if self.welsh_replied else None


def summed(rows: Iterable[Totals]) -> Totals:
    total = Totals()
    for row in rows:
        total.add(row)
    return total


def summed_rows(queryset: QuerySet[Any], *keys: str, sums: Mapping[str, Any] = SUMS
                ) -> tuple[list[str], dict[Any, list[int]]]:
    """The measures' names, and their sums as a list for each value of `keys`.

    Rows come back as tuples and are added as lists: a year's dashboard folds thousands
    of rows of sixty sums, and a dictionary per row costs more than the query.
    """
    names = [alias.removeprefix("sum_") for alias in sums]
    width = len(keys)
    found: dict[Any, list[int]] = {}
    for row in queryset.values_list(*keys).annotate(**sums).order_by():
        key = row[0] if width == 1 else row[:width]
        values = [v or 0 for v in row[width:]]
        before = found.get(key)
        found[key] = values if before is None else [a + b for a, b in zip(
            before, values, strict=True)]
    return names, found


def fold(rows: Mapping[Any, list[int]], key: Callable[[Any], Any]) -> dict[Any, list[int]]:
    """Add up the lists whose keys map to the same new key."""
    folded: dict[Any, list[int]] = {}
    for old, values in rows.items():
        new = key(old)
        before = folded.get(new)
        folded[new] = list(values) if before is None else [a + b for a, b in zip(
            before, values, strict=True)]
    return folded


def as_totals(names: list[str], rows: Mapping[Any, list[int]]) -> dict[Any, Totals]:
    return {key: Totals(dict(zip(names, values, strict=True))) for key, values in rows.items()}


def grouped(queryset: QuerySet[Any], *keys: str, sums: Mapping[str, Any] = SUMS
            ) -> dict[Any, Totals]:
    """Sum the measures for each value of `keys` (a tuple key when there are several)."""
    names, rows = summed_rows(queryset, *keys, sums=sums)
    return as_totals(names, rows)


def total(queryset: QuerySet[Any]) -> Totals:
    return Totals.of(queryset.aggregate(**SUMS))


__all__ = ["BOUNDS_MINUTES", "COUNT_MEASURES", "Totals", "grouped", "summed", "total"]
