"""Keyword rules as plain Python: which rules a piece of public text matches.

No Django here, so any source of public posts (a feed, a Mastodon search, a Bluesky
firehose) can call `matches(rules, text)` with model instances or `Rule` dataclasses alike.
Matching ignores case and accents, so "Tŷ Newydd", "TY NEWYDD" and "ty newydd" are the same.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol, TypeVar

PHRASE = "phrase"
WORDS = "words"
HASHTAG = "hashtag"
KINDS = (PHRASE, WORDS, HASHTAG)


class RuleLike(Protocol):
    @property
    def phrase(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def exclude_words(self) -> Sequence[str]: ...


R = TypeVar("R", bound=RuleLike)


@dataclass(frozen=True)
class Rule:
    """A keyword rule, detached from the database."""

    phrase: str
    kind: str = WORDS
    exclude_words: Sequence[str] = field(default_factory=tuple)
    id: int | None = None

    def label(self) -> str:
        return describe(self)


# Letters that carry no combining mark to strip but that people type plainly.
_PLAIN = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i",
                        "\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def fold(text: str) -> str:
    """Lower-case, accent-free, one space between words: the form every match compares."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.translate(_PLAIN).split())


def tag_of(phrase: str) -> str:
    """A hashtag rule's tag: the phrase without its leading #, spaces removed."""
    return "".join(fold(phrase).lstrip("#").split())


@lru_cache(maxsize=1024)
def _pattern(kind: str, phrase: str) -> re.Pattern[str]:
    if kind == HASHTAG:
        return re.compile(r"(?<![\w#])#" + re.escape(tag_of(phrase)) + r"(?!\w)")
    words = [re.escape(w) for w in fold(phrase).split()]
    body = r"\s+".join(words)
    if kind == PHRASE:
        return re.compile(body)
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


def _hit(kind: str, phrase: str, folded: str) -> bool:
    if not phrase.strip() or (kind == HASHTAG and not tag_of(phrase)):
        return False
    return _pattern(kind, phrase).search(folded) is not None


def matches(rules: Iterable[R], text: str) -> list[R]:
    """The rules whose phrase is in `text` and none of whose exclude words are, in order."""
    folded = fold(text)
    return [
        rule for rule in rules
        if _hit(rule.kind, rule.phrase, folded)
        and not any(_hit(WORDS, word, folded) for word in rule.exclude_words)
    ]


def describe(rule: RuleLike) -> str:
    """How a rule reads to a person: the phrase, with a hashtag's # shown."""
    if rule.kind == HASHTAG:
        return "#" + rule.phrase.strip().lstrip("#")
    return rule.phrase.strip()


def parse_exclude_words(raw: str) -> list[str]:
    """Exclude words as an admin types them: one a line, or separated by commas."""
    parts = re.split(r"[\n,]", raw)
    seen: list[str] = []
    for part in parts:
        word = " ".join(part.split())
        if word and fold(word) not in {fold(s) for s in seen}:
            seen.append(word)
    return seen
