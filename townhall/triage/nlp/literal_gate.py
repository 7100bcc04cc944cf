"""A cheap first pass for a set of regular expressions: which words must a match contain?

Most messages match none of the safeguarding patterns, yet every pattern has to scan
every message. For each pattern this module works out, from the parsed regular
expression itself, a set of literal strings such that any match must contain at
least one of them ("kill" or "harm" for `\\b(?:kill|harm)\\w*\\s+myself`, choosing the
most selective part). One search for all those literals, compiled as a trie so the
regex engine tries a handful of branches per character, then rules a message out.

It is exact by construction, not by tuning: a pattern is gated only when its
literals could be proved; anything the analysis does not understand (look-arounds,
back-references, case-insensitive flags, literals shorter than MIN_LENGTH) leaves the
pattern always run.
"""

import re
import re._constants as sre_c  # noqa: PLC2701 - the stdlib parser is the ground truth
import re._parser as sre_parse  # noqa: PLC2701
from collections.abc import Iterable
from typing import Any

MIN_LENGTH = 2
Literals = frozenset[str]

_REPEATS = {sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT}
# Items that match without consuming anything a literal could be found in.
_ZERO_WIDTH = {sre_c.AT}


def _minimal(strings: Iterable[str]) -> Literals:
    """Drop any string that contains a shorter one: the shorter is found whenever it is."""
    ordered = sorted(set(strings), key=len)
    kept: list[str] = []
    for s in ordered:
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


# Words so common that a literal made only of them rules out almost nothing. Used only
# to choose which part of a pattern to look for; any choice is still exact.
_COMMON = frozenset(
    "a an and are as at be by for from go going had has have he her his i in is it me my "
    "no not of off on or our own out she so that the their they this to up was we were "
    "with you".split())


def _informative(literal: str) -> int:
    return sum(len(w) for w in literal.split() if w not in _COMMON)


def _better(a: Literals | None, b: Literals | None) -> Literals | None:
    """The more selective of two requirement sets: longer shortest literal, then fewer.

    Length is counted without common words, so "in the " loses to "child".
    """
    if a is None:
        return b
    if b is None:
        return a
    key_a = (min(map(len, a)) >= MIN_LENGTH, min(map(_informative, a)), min(map(len, a)), -len(a))
    key_b = (min(map(len, b)) >= MIN_LENGTH, min(map(_informative, b)), min(map(len, b)), -len(b))
    return a if key_a >= key_b else b


def _sequence(items: Any) -> Literals | None:
    best: Literals | None = None
    run: list[str] = []
    for op, av in items:
        if op is sre_c.LITERAL:
            run.append(chr(av))
            continue
        if op in _ZERO_WIDTH:
            continue  # \b between letters does not break "kill" + "myself" into less
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []
        best = _better(best, _item(op, av))
    if run:
        best = _better(best, frozenset({"".join(run)}))
    return best


def _item(op: Any, av: Any) -> Literals | None:
    if op is sre_c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (re.IGNORECASE | re.VERBOSE):
            raise _Unprovable
        return _sequence(sub.data)
    if op is sre_c.ATOMIC_GROUP:
        return _sequence(av.data)
    if op is sre_c.BRANCH:
        options = [_sequence(alt.data) for alt in av[1]]
        if any(o is None for o in options):
            return None
        return _minimal(s for o in options for s in o)  # type: ignore[union-attr]
    if op in _REPEATS:
        low, _high, sub = av
        return _sequence(sub.data) if low >= 1 else None
    # Look-arounds only narrow the matches the rest of the sequence already requires;
    # character classes, ANY, categories and back-references add no literal.
    return None


class _Unprovable(Exception):
    pass


def required_literals(pattern: str) -> Literals | None:
    """Strings one of which every match of `pattern` contains; None if none can be proved."""
    try:
        parsed = sre_parse.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
            return None
        found = _sequence(parsed.data)
    except _Unprovable:
        return None
    if not found or min(map(len, found)) < MIN_LENGTH:
        return None
    return _minimal(found)


def trie_pattern(strings: Iterable[str]) -> str:
    """One regular expression matching any of `strings`, factored by shared prefixes."""
    trie: dict[str, Any] = {}
    for s in strings:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    if "" in node:
        return ""  # a shorter literal ends here: enough to have found it
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


class Gate:
    """Which of a named set of pattern lists might match a text, found cheaply.

    `candidates(text)` returns the names whose patterns could match; the caller runs
    the full patterns for those names only.
    """

    def __init__(self, patterns: dict[str, list[str]]) -> None:
        self.always: set[str] = set()
        literals: dict[str, Literals] = {}
        for name, group in patterns.items():
            needed: set[str] = set()
            for pattern in group:
                found = required_literals(pattern)
                if found is None:
                    self.always.add(name)
                    break
                needed.update(found)
            else:
                literals[name] = _minimal(needed)
        owners: dict[str, set[str]] = {}
        for name, strings in literals.items():
            for s in strings:
                owners.setdefault(s, set()).add(name)
        every = _minimal(owners)
        # A literal dropped from the search because it contains a shorter one is found
        # through that shorter one, so the shorter one speaks for both owners.
        self._owners: dict[str, frozenset[str]] = {
            short: frozenset(n for s, names in owners.items() if short in s for n in names)
            for short in every
        }
        # A look-ahead finds every position where a literal starts, overlapping or not.
        self._search = re.compile(f"(?=({trie_pattern(every)}))") if every else None

    def candidates(self, text: str) -> set[str]:
        names = set(self.always)
        if self._search is not None:
            for found in {m.group(1) for m in self._search.finditer(text)}:
                names |= self._owners[found]
        return names
