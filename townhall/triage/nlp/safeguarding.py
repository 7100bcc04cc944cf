"""Safeguarding screen: which duty-of-care reasons a message raises.

Runs on the whole message (never truncated), so a disclosure at the end of a
long post is still found.
"""

import re

from townhall.triage.nlp.safeguarding_patterns import NEGATIVE_CONTEXT, PATTERNS, REASONS
from townhall.triage.nlp.text import normalise_for_matching

_COMPILED = {reason: re.compile("|".join(f"(?:{p})" for p in PATTERNS[reason])) for reason in REASONS}
_NEGATIVE = re.compile("|".join(f"(?:{p})" for p in NEGATIVE_CONTEXT))


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def safeguarding_reasons(text: str, *, folded: str | None = None) -> list[str]:
    """Reasons in REASONS order; empty when nothing was found.

    `folded` may carry normalise_for_matching(text) when the caller has it already.
    """
    folded = _NEGATIVE.sub(_blank, normalise_for_matching(text) if folded is None else folded)
    return [reason for reason in REASONS if _COMPILED[reason].search(folded)]
