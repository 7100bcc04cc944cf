from types import SimpleNamespace

from townhall.analytics.terms import message_terms
from townhall.analytics.wards import WardLookup, parse_list


def ward(pk: int, districts: list[str], streets: list[str]) -> SimpleNamespace:
    return SimpleNamespace(pk=pk, postcode_districts=districts, streets=streets)


LOOKUP = WardLookup([ward(1, ["AC1", "ac2"], ["High Street"]),
                     ward(2, ["AC3"], ["Mill Lane", "Lôn y Felin"])])


def test_it_finds_the_ward_from_a_postcode_first() -> None:
    places = [{"type": "street", "text": "High Street"}, {"type": "postcode", "text": "ac3 4xy"}]
    assert LOOKUP.ward_for(places) == 2
    assert LOOKUP.ward_for([{"type": "postcode", "text": "AC2 1AB"}]) == 1


def test_it_finds_the_ward_from_a_street_with_a_house_number() -> None:
    assert LOOKUP.ward_for([{"type": "street", "text": "12 Mill Lane"}]) == 2
    assert LOOKUP.ward_for([{"type": "street", "text": "Lôn y Felin"}]) == 2
    assert LOOKUP.ward_for([{"type": "street", "text": "Nowhere Road"}]) is None
    assert LOOKUP.ward_for([{"type": "postcode", "text": "SW1A 1AA"}]) is None
    assert LOOKUP.ward_for(["not a place"]) is None  # type: ignore[list-item]


def test_it_reads_lists_one_a_line_or_by_commas() -> None:
    assert parse_list("AC1, AC2\nac2\n\n AC3 ") == ["AC1", "AC2", "AC3"]


def test_it_keeps_topic_words_and_drops_common_ones() -> None:
    assert message_terms("The bins on Mill Lane were NOT collected, again!!") == {
        "bins", "mill", "collected"}
    assert "biniau" in message_terms("Mae'r biniau heb eu casglu")
