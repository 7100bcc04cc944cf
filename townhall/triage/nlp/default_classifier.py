"""The built-in classifier used when a council has not trained its own model.

It scores each category with the hand-written lexicon in lexicon_data, so it
works from day one and ships nothing learned from third-party text.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from townhall.triage.nlp.lexicon_data import LEXICON, MIN_SCORE
from townhall.triage.nlp.prepared import Prepared
from townhall.triage.nlp.taxonomy import BY_CODE, CODES, STREET
from townhall.triage.nlp.text import normalise, stems

# Long texts are classified on their opening; the subject is nearly always there.
MAX_CHARS = 4000


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float


def _compile() -> dict[str, list[tuple[str, float]]]:
    table: dict[str, list[tuple[str, float]]] = {}
    for code, entries in LEXICON.items():
        for phrase, weight in entries.items():
            key = " ".join(stems(normalise(phrase.replace("-", " "))))
            table.setdefault(key, []).append((code, float(weight)))
    return table


_TABLE = _compile()


def score_text(text: str) -> dict[str, float]:
    # Hyphens split words in stems() already, so "fly-tipping" reads as "fly tipping".
    return score_stems(stems(normalise(text[:MAX_CHARS])))


def score_stems(tokens: Sequence[str]) -> dict[str, float]:
    """Scores for the stems of a normalised text (see score_text)."""
    keys = set(tokens)
    # str.format is called from C, so no Python frame is built per pair.
    keys.update(map("{} {}".format, tokens, tokens[1:]))
    keys.update(map("{} {} {}".format, tokens, tokens[1:], tokens[2:]))
    keys.intersection_update(_TABLE)
    scores: dict[str, float] = {}
    for key in keys:
        for code, weight in _TABLE[key]:
            scores[code] = scores.get(code, 0.0) + weight
    return scores


def _fallback(allowed: Sequence[str]) -> str:
    for code in ("other", "general_enquiry"):
        if code in allowed:
            return code
    return allowed[0]


class DefaultClassifier:
    """Lexicon scorer over the default taxonomy, optionally limited to some codes."""

    def __init__(self, allowed: Iterable[str] | None = None) -> None:
        self.labels: tuple[str, ...] = tuple(allowed) if allowed is not None else CODES
        unknown = [c for c in self.labels if c not in BY_CODE]
        if unknown:
            raise ValueError(f"not in the default taxonomy: {', '.join(unknown)}")
        street_only = all(BY_CODE[c].group == STREET for c in self.labels)
        self._fallback = "other" if street_only and "other" in self.labels else _fallback(self.labels)

    def predict_one(self, text: str) -> Prediction:
        return self._decide(score_text(text))

    def predict_prepared(self, prepared: Sequence[Prepared]) -> list[Prediction]:
        """Like predict, reusing stems the pipeline has already computed."""
        return [self._decide(score_stems(p.stems_prefix(MAX_CHARS))) for p in prepared]

    def _decide(self, scores: dict[str, float]) -> Prediction:
        # Rounded so that a tie does not depend on the order the floats were added in.
        ranked = sorted(((round(scores.get(c, 0.0), 9), c) for c in self.labels), reverse=True)
        best_score, best = ranked[0]
        if best_score < MIN_SCORE:
            return Prediction(self._fallback, round(0.3 + 0.1 * best_score / MIN_SCORE, 3))
        # A softmax over the top scores gives a confidence that falls when two
        # categories are close, which is what a reviewer needs to know.
        top = [s for s, _ in ranked[:4]]
        exps = [math.exp(0.9 * (s - best_score)) for s in top]
        confidence = exps[0] / sum(exps)
        confidence *= min(1.0, 0.55 + best_score / 10)
        return Prediction(best, round(confidence, 3))

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [self.predict_one(t) for t in texts]
