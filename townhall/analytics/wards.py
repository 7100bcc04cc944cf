"""Which ward a message is about, from the places triage found in it.

A postcode's outward code ("AC5" of "AC5 3DF") is looked up first, as it is the most
precise; then a street name. Matching ignores case, spaces and punctuation, and a house
number in front of a street ("12 Mill Lane").
"""

import re
from collections.abc import Iterable
from typing import Any

_NOT_WORD = re.compile(r"[^a-z0-9\u00c0-\u024f]")
_HOUSE_NUMBER = re.compile(r"^\d+[a-z]?\s+", re.IGNORECASE)
_OUTWARD = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*\d[A-Z]{2}$", re.IGNORECASE)


def _key(text: str) -> str:
    return _NOT_WORD.sub("", text.casefold())


def district_key(text: str) -> str:
    """The outward code of a full postcode, or the text itself if it is a district."""
    text = text.strip().upper()
    match = _OUTWARD.match(text)
    return _key(match.group(1) if match else text)


def street_key(text: str) -> str:
    return _key(_HOUSE_NUMBER.sub("", text.strip()))


class WardLookup:
    """Built once from a council's wards; `ward_for` is then a dictionary look-up."""

    def __init__(self, wards: Iterable[Any]) -> None:
        self.districts: dict[str, int] = {}
        self.streets: dict[str, int] = {}
        for ward in wards:
            for district in ward.postcode_districts:
                self.districts.setdefault(district_key(str(district)), ward.pk)
            for street in ward.streets:
                self.streets.setdefault(street_key(str(street)), ward.pk)

    def __bool__(self) -> bool:
        return bool(self.districts or self.streets)

    def ward_for(self, places: Iterable[dict[str, Any]]) -> int | None:
        places = [p for p in places if isinstance(p, dict)]
        for place in places:
            if place.get("type") == "postcode":
                found = self.districts.get(district_key(str(place.get("text", ""))))
                if found is not None:
                    return found
        for place in places:
            if place.get("type") == "street":
                found = self.streets.get(street_key(str(place.get("text", ""))))
                if found is not None:
                    return found
        return None


def parse_list(text: str) -> list[str]:
    """Entries one a line or separated by commas, blanks and repeats dropped."""
    seen: dict[str, str] = {}
    for part in re.split(r"[\n,]", text):
        value = part.strip()
        if value and value.casefold() not in seen:
            seen[value.casefold()] = value
    return list(seen.values())
