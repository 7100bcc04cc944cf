"""Safeguarding screen: which duty-of-care reasons a message raises.

Runs on the whole message (never truncated), so a disclosure at the end of a
long post is still found.
"""

import re

from townhall.triage.nlp.literal_gate import Gate
from townhall.triage.nlp.safeguarding_patterns import NEGATIVE_CONTEXT, PATTERNS, REASONS
from townhall.triage.nlp.text import normalise_for_matching

_COMPILED = {reason: re.compile("|".join(f"(?:{p})" for p in PATTERNS[reason])) for reason in REASONS}
_NEGATIVE = re.compile("|".join(f"(?:{p})" for p in NEGATIVE_CONTEXT))
# Rules out, in one cheap pass, the reasons whose patterns cannot match (most messages
# match none). Exact: see literal_gate.
_SINGLE = {f"{reason}/{n}": (reason, re.compile(p))
           for reason in REASONS for n, p in enumerate(PATTERNS[reason])}
_GATE = Gate({name: [compiled.pattern] for name, (_, compiled) in _SINGLE.items()})


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def safeguarding_reasons(text: str, *, folded: str | None = None) -> list[str]:
    """Reasons in REASONS order; empty when nothing was found.

    `folded` may carry normalise_for_matching(text) when the caller has it already.
    """
    folded = _NEGATIVE.sub(_blank, normalise_for_matching(text) if folded is None else folded)
    found = set()
    for name in _GATE.candidates(folded):
        reason, compiled = _SINGLE[name]
        if reason not in found and compiled.search(folded):
            found.add(reason)
    return [reason for reason in REASONS if reason in found]
