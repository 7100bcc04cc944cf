"""Obfuscated self-harm phrases still reach a person."""

import pytest

from townhall.triage.nlp.safeguarding import safeguarding_reasons
from townhall.triage.nlp.text import normalise_for_matching

INVISIBLES = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@pytest.mark.parametrize("mark", INVISIBLES)
def test_it_sees_through_invisible_characters_inside_words(mark: str) -> None:
    assert "self_harm" in safeguarding_reasons(f"i want to k{mark}ill my{mark}self")


def test_it_folds_leetspeak_but_leaves_plain_numbers() -> None:
    assert normalise_for_matching("k1ll mys3lf at 10pm on 24 May") == "kill myself at 10pm on 24 may"


def test_it_reads_fullwidth_letters() -> None:
    assert safeguarding_reasons("ｓｕｉｃｉｄｅ") == ["self_harm"]
