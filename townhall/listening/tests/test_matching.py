"""The pure matching function that every public-post source can reuse."""

import pytest

from townhall.listening.matching import Rule, describe, fold, matches, parse_exclude_words


def test_it_ignores_case_and_accents() -> None:
    rule = Rule("Tŷ Hywel")
    for text in ["Open day at ty hywel", "TY HYWEL is closed", "Tŷ  Hywel\ncar park"]:
        assert matches([rule], text) == [rule], text
    assert matches([Rule("Cafe")], "The café reopens") == [Rule("Cafe")]


def test_whole_words_do_not_match_inside_longer_words() -> None:
    ward = Rule("ward")
    assert matches([ward], "She was awarded a prize") == []
    assert matches([ward], "Councillors for the ward, and the next ward too") == [ward]
    assert matches([Rule("Pont-y-Felin")], "Pont-y-Felin's playground") == [Rule("Pont-y-Felin")]


def test_a_phrase_rule_matches_anywhere_even_inside_a_word() -> None:
    rule = Rule("Afon", kind="phrase")
    assert matches([rule], "Afoncaster council") == [rule]


def test_a_hashtag_rule_matches_only_the_hashtag() -> None:
    rule = Rule("#Afoncaster", kind="hashtag")
    assert matches([rule], "Floods again #afoncaster!") == [rule]
    assert matches([rule], "Floods again in Afoncaster") == []
    assert matches([rule], "#AfoncasterRovers win") == []
    assert matches([rule], "a##afoncaster") == []


def test_exclude_words_stop_a_match() -> None:
    rule = Rule("Llanhelyg", exclude_words=("Llanhelyg Rovers", "rugby"))
    assert matches([rule], "Bins missed in Llanhelyg again") == [rule]
    assert matches([rule], "LLANHELYG ROVERS win the cup") == []
    assert matches([rule], "Llanhelyg Rugby Club dinner") == []


def test_it_returns_every_matching_rule_in_the_order_given() -> None:
    rules = [Rule("potholes"), Rule("Church Road"), Rule("library")]
    assert matches(rules, "Potholes on Church Road") == rules[:2]


def test_an_empty_phrase_matches_nothing() -> None:
    assert matches([Rule("  "), Rule("#", kind="hashtag")], "anything at all") == []


@pytest.mark.parametrize("raw, words", [
    ("Rovers, rugby\nclub  dinner", ["Rovers", "rugby", "club dinner"]),
    ("Rovers\nrovers,ROVERS", ["Rovers"]),
    ("", []),
])
def test_exclude_words_can_be_typed_on_lines_or_with_commas(raw: str, words: list[str]) -> None:
    assert parse_exclude_words(raw) == words


def test_fold_and_describe() -> None:
    assert fold("  Straße  ÅNGSTRÖM\t’s ") == "strasse angstrom 's"
    assert describe(Rule("AfonCouncil", kind="hashtag")) == "#AfonCouncil"
