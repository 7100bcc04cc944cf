"""The safeguarding screen's cheap first pass never changes what the screen finds."""

import random
import re

import pytest

from townhall.triage.nlp import safeguarding
from townhall.triage.nlp.literal_gate import Gate, required_literals, trie_pattern
from townhall.triage.nlp.safeguarding_patterns import PATTERNS, REASONS
from townhall.triage.nlp.text import normalise_for_matching
from townhall.triage.tests.test_nlp_safeguarding_probes import HARD_NEGATIVES, POSITIVES


def _ungated(text: str) -> list[str]:
    folded = safeguarding._NEGATIVE.sub(safeguarding._blank, normalise_for_matching(text))
    return [reason for reason in REASONS if safeguarding._COMPILED[reason].search(folded)]


@pytest.mark.parametrize("text", [t for t, _ in POSITIVES] + HARD_NEGATIVES)
def test_the_gated_screen_finds_exactly_what_the_full_screen_finds(text: str) -> None:
    assert safeguarding.safeguarding_reasons(text) == _ungated(text)


def test_it_agrees_with_the_full_screen_on_shuffled_fragments_of_the_probes() -> None:
    # Words from the probes recombined: many near misses and accidental matches.
    words = " ".join(t for t, _ in POSITIVES).split() + " ".join(HARD_NEGATIVES).split()
    rng = random.Random(7)
    for _ in range(400):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(3, 14)))
        assert safeguarding.safeguarding_reasons(text) == _ungated(text), text


def test_it_requires_the_most_telling_part_of_a_pattern() -> None:
    assert required_literals(r"\b(?:kill|killing)\s+myself\b") == {"myself"}
    assert required_literals(r"\b(?:kill|harm)ing\b") == {"kill", "harm"}  # not the common "ing"
    assert required_literals(r"in the (?:canal|river)") == {"canal", "river"}


def test_it_gives_up_where_a_match_needs_no_literal() -> None:
    assert required_literals(r"\b\w+\s\d+\b") is None
    assert required_literals(r"(?:kill)?\s+") is None
    assert required_literals(r"(?i)suicide") is None  # case-insensitive: not proved


def test_an_optional_or_alternative_part_is_never_required() -> None:
    assert required_literals(r"\bhurt(?:ing)? me\b") == {"hurt"} or \
        required_literals(r"\bhurt(?:ing)? me\b") == {" me"}
    found = required_literals(r"grooming(?!\s+dogs)|groomed")
    assert found == {"groom"} or found == {"grooming", "groomed"}


def test_the_trie_matches_each_literal_and_nothing_shorter() -> None:
    compiled = re.compile(trie_pattern(["child", "chil", "kid", "knife"]))
    for word in ("child", "kid", "knife"):
        assert compiled.search(f"a {word} here")
    assert not compiled.search("a chi ki kni here")


def test_a_group_is_named_when_any_of_its_literals_appears_inside_a_longer_word() -> None:
    gate = Gate({"a": ["skill"], "b": ["kill"], "c": ["c[0-9]+"]})
    assert gate.candidates("what a skill") == {"a", "b", "c"}
    # "kill" also stands for "skill", which contains it: naming 'a' too costs one search.
    assert {"b", "c"} <= gate.candidates("killer whale")
    assert gate.candidates("nothing to see") == {"c"}
    assert "c" in gate.always
    assert set(PATTERNS) == set(REASONS)
