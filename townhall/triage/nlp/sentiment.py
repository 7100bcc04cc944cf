"""Lexicon sentiment with rules for negation, boosters, "but", emphasis and complaint cues."""

import math
import re
from functools import lru_cache
from importlib import resources

from townhall.triage.nlp.sentiment_data import BOOSTERS, EMOJI, NEGATIONS, PHRASES, WORDS
from townhall.triage.nlp.text import normalise

# Thresholds on the -1..1 score; chosen by measurement (docs/benchmarks-triage.md).
POSITIVE_AT = 0.40
NEGATIVE_AT = -0.10
MAX_CHARS = 2000
_TOKEN = re.compile(r"[a-z][a-z']*|[:;]-?[()dp]")
_PHRASE_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True)) + r")\b")
_EMOJI_RE = re.compile("|".join(re.escape(e) for e in sorted(EMOJI, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, float]:
    words: dict[str, float] = {}
    try:
        source = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
        for line in source.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2:
                words[parts[0]] = float(parts[1])
    except (ModuleNotFoundError, FileNotFoundError):
        # Without VADER the complaint lexicon below still gives a usable signal.
        pass
    words.update(WORDS)
    return words


def _token_valences(text: str) -> list[float]:
    lexicon = _lexicon()
    tokens = _TOKEN.findall(text)
    valences: list[float] = []
    for i, token in enumerate(tokens):
        value = lexicon.get(token, 0.0)
        if not value or token in BOOSTERS:
            valences.append(0.0)
            continue
        window = tokens[max(0, i - 3):i]
        boost = sum(BOOSTERS.get(w, 0.0) for w in window[-2:])
        value += math.copysign(boost, value) if boost else 0.0
        if any(w in NEGATIONS for w in window):
            value *= -0.6
        valences.append(value)
    if "but" in tokens:
        # What follows "but" is what the writer means.
        pivot = tokens.index("but")
        valences = [v * (0.5 if i < pivot else 1.5) for i, v in enumerate(valences)]
    return valences


def sentiment(text: str, *, lowered: str | None = None) -> tuple[str, float]:
    """Label and score in -1..1; `lowered` may carry normalise(text[:MAX_CHARS])."""
    raw = text[:MAX_CHARS]
    if lowered is None:
        lowered = normalise(raw)
    total = sum(_token_valences(_PHRASE_RE.sub(" ", lowered)))
    total += sum(PHRASES[m.group(0)] for m in _PHRASE_RE.finditer(lowered))
    total += sum(EMOJI[m.group(0)] for m in _EMOJI_RE.finditer(raw))
    if total:
        shouting = sum(1 for w in raw.split() if len(w) > 2 and w.isupper())
        emphasis = 1.0 + 0.08 * min(raw.count("!"), 4) + 0.1 * min(shouting, 3)
        total *= emphasis
    score = total / math.sqrt(total * total + 15.0)
    if score >= POSITIVE_AT:
        return "positive", round(score, 3)
    if score <= NEGATIVE_AT:
        return "negative", round(score, 3)
    return "neutral", round(score, 3)
