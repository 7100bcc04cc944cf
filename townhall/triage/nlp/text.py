"""Text normalisation shared by the matchers.

Matching runs on a normalised copy of the text so that obfuscation (zero-width
characters, soft hyphens, leetspeak, stretched letters) cannot hide a phrase.
Offsets reported to users always refer to the original text, never this copy.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

# Characters that render as nothing but split a word for a naive matcher.
_INVISIBLE = (
    "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x00"
)
_STRIP_INVISIBLE = {ord(c): None for c in _INVISIBLE}

# Digits and symbols standing for letters inside a word ("k1ll mys3lf").
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"}
)
# A whole run of letters and look-alike symbols that holds at least one of each;
# runs of plain letters or plain digits are never touched, so need no callback.
_LEET_WORD = re.compile(r"(?<![a-z0-9@$!|])(?=[a-z0-9@$!|]*[a-z])(?=[a-z]*[0-9@$!|])[a-z0-9@$!|]+")
# Numbers with units ("10pm", "3rd", "20mph") are not disguised words.
_MEASURE = re.compile(r"^\d+(?:st|nd|rd|th|am|pm|s|k|m|km|mph|kg|mm|cm|ml|x|ft|yds?)$")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
# "k.i.l.l" or "k-i-l-l": single letters joined by one separator.
_SPACED_LETTERS = re.compile(r"\b(?:[a-z][.\-_*~]){2,}[a-z]\b")
_SPACED_BY_BLANKS = re.compile(r"\b(?:[a-z] ){3,}[a-z]\b")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def strip_invisible(text: str) -> str:
    return text.translate(_STRIP_INVISIBLE)


def _fold_leet_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return word if _MEASURE.match(word) else word.translate(_LEET)


def normalise(text: str) -> str:
    """Casefolded, NFKC, invisible-free copy with apostrophes unified."""
    return unicodedata.normalize("NFKC", strip_invisible(text)).translate(_APOSTROPHES).casefold()


@lru_cache(maxsize=8)  # Safeguarding and priority fold the same text in turn.
def normalise_for_matching(text: str) -> str:
    """Aggressive normalisation for safety phrases: also folds leetspeak and stretching."""
    return fold(normalise(text))


def fold(normalised: str) -> str:
    """normalise_for_matching for text that has already been through normalise()."""
    folded = _LEET_WORD.sub(_fold_leet_word, normalised)
    folded = _SPACED_LETTERS.sub(lambda m: re.sub(r"[.\-_*~]", "", m.group(0)), folded)
    folded = _SPACED_BY_BLANKS.sub(lambda m: m.group(0).replace(" ", ""), folded)
    return _STRETCHED.sub(r"\1", folded)


def words(normalised: str) -> list[str]:
    return _WORD.findall(normalised)


# Words whose stem would merge two categories ("parking" is not a "park").
_STEM_EXCEPTIONS = {
    "parking": "parking",
    "parked": "parking",
    "lighting": "lighting",
    "building": "building",
    "leaves": "leaf",
    "tyres": "tyre",
}
_DOUBLE_KEEP = set("lsz")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A deliberately small suffix stripper; both lexicon and text go through it."""
    word = word.replace("'", "")
    if word in _STEM_EXCEPTIONS:
        return _STEM_EXCEPTIONS[word]
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _DOUBLE_KEEP and word[-1].isalpha():
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def stems(normalised: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(normalised)]


def alternation(phrases: Iterable[str]) -> str:
    """A regex matching any of `phrases`, grouped by shared prefix.

    It matches what `"|".join(sorted(phrases, key=len, reverse=True))` matches
    (escaped), but the engine tries one branch per character instead of every
    phrase at every position, which matters for long lists.
    """
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        # The phrase may end here; a longer one is tried first, as in the flat list.
        return f"(?:{body})?"
    return body
