"""Words residents use, for "what is rising this week" (emerging topics).

Counts each word once per message, from the text with personal details taken out
(triage's redacted copy), leaving out short words, numbers and common English and
Welsh words that say nothing about a topic.
"""

import re
from collections import Counter
from collections.abc import Iterable

from townhall.triage.nlp.language_data import FUNCTION_WORDS
from townhall.triage.nlp.text import normalise

_WORD = re.compile(r"[^\W\d_]{4,30}")
_COMMON = frozenset(
    "thanks thank hello morning afternoon evening please could would should there their "
    "about again still since still today yesterday tomorrow week weeks days time times "
    "just also really getting going been being have having done doing know think want "
    "need needs help council councils someone anyone something anything nothing people "
    "told tell said says asked call called email sent reply back many much every other "
    "when what where which while will with your yours from that this these those they "
    "them then than into onto over under after before because outside near opposite "
    "road street lane avenue close drive report reported reporting problem issue issues "
    "were went does didn doesn isn wasn aren weren haven hasn hadn shouldn wouldn couldn "
    "here some very make made take came come look like last next only even ever once "
    "does done dont cant wont ive youre theyre thats whats there's it's i've "
    "diolch bore prynhawn helo".split()
)
STOP_WORDS = _COMMON | frozenset(
    w for words in FUNCTION_WORDS.values() for w in words.split())


def message_terms(text: str) -> set[str]:
    return {w for w in _WORD.findall(normalise(text)) if w not in STOP_WORDS}


def count_terms(texts: Iterable[str]) -> Counter[str]:
    """How many of the texts use each word."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(message_terms(text))
    return counts
