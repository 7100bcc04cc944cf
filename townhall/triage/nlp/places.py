"""UK postcodes, street names and place names mentioned in a message."""

import re
from dataclasses import dataclass

from townhall.triage.nlp.places_data import PLACE_NAMES, STREET_SUFFIXES, WELSH_STREET_PREFIXES
from townhall.triage.nlp.text import alternation

POSTCODE_RE = re.compile(
    r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?|GIR)\s?\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)

_NAME_WORD = r"(?:[A-Z][a-z'\u2019]+(?:-[A-Z][a-z]+)?|St\.?|[A-Z][A-Z]+)"
_STREET_RE = re.compile(
    rf"\b(?:\d{{1,4}}[a-zA-Z]?\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}\s+(?:{STREET_SUFFIXES})\b\.?")
_WELSH_STREET_RE = re.compile(rf"\b(?:{WELSH_STREET_PREFIXES})\s+(?:y\s+|yr\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}")
_DIGIT = re.compile(r"\d")
# Every entry of WELSH_STREET_PREFIXES contains one of these (tests/test_nlp_places.py).
_WELSH_PREFIX_WORDS = ("Heol", "Stryd", "Ffordd", "Lôn", "Lon", "Rhodfa", "Cilgant", "Maes")
_PLACE_RE = re.compile(r"\b(?:" + alternation(PLACE_NAMES) + r")\b")


@dataclass(frozen=True)
class Place:
    type: str
    text: str
    start: int
    end: int

    def as_dict(self) -> dict[str, object]:
        return {"type": self.type, "text": self.text, "start": self.start, "end": self.end}


def find_places(text: str) -> list[Place]:
    found: list[Place] = []
    # A postcode needs a digit and a Welsh street its prefix word; most messages
    # have neither, and a substring test is far cheaper than a regex scan.
    if _DIGIT.search(text):
        for m in POSTCODE_RE.finditer(text):
            found.append(Place("postcode", m.group(0), m.start(), m.end()))
    welsh = any(prefix in text for prefix in _WELSH_PREFIX_WORDS)
    for regex in (_STREET_RE, _WELSH_STREET_RE) if welsh else (_STREET_RE,):
        for m in regex.finditer(text):
            value = m.group(0).rstrip(".")
            found.append(Place("street", value, m.start(), m.start() + len(value)))
    for m in _PLACE_RE.finditer(text):
        found.append(Place("place", m.group(0), m.start(), m.end()))
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    kept: list[Place] = []
    for place in found:
        if kept and place.start < kept[-1].end:
            continue
        kept.append(place)
    return kept


def place_keys(places: list[Place]) -> set[str]:
    """Comparable keys for incident grouping: "SW1A 1AA" and "sw1a1aa" agree."""
    keys = set()
    for p in places:
        key = re.sub(r"[^a-z0-9]", "", p.text.lower())
        if p.type == "street":
            key = re.sub(r"^\d+[a-z]?", "", key)
        keys.add(f"{p.type}:{key}")
    return keys
