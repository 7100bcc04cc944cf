"""Places found in a message, and the cheap checks that skip needless scans."""

from townhall.triage.nlp.places import _WELSH_PREFIX_WORDS, find_places
from townhall.triage.nlp.places_data import WELSH_STREET_PREFIXES


def test_every_welsh_street_prefix_is_covered_by_the_quick_check() -> None:
    for prefix in WELSH_STREET_PREFIXES.split("|"):
        assert any(word in prefix for word in _WELSH_PREFIX_WORDS), prefix


def test_it_finds_welsh_streets_postcodes_and_towns() -> None:
    found = {(p.type, p.text) for p in find_places("Twll mawr ar Heol y Bont, CF10 1AA, ger Caerdydd")}
    assert ("street", "Heol y Bont") in found
    assert ("postcode", "CF10 1AA") in found
    assert ("place", "Caerdydd") in found


def test_it_finds_an_english_street_without_any_digit() -> None:
    assert [p.text for p in find_places("Broken glass on Mill Lane")] == ["Mill Lane"]
