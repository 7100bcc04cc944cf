"""Sentiment for messages to a council or a company (docs/decisions/0104).

Two stages. `signals()` is written by hand: VADER's word list (MIT, from the
installed package) plus Townhall's own phrases and customer-service cues, with
rules: negation flips a word within three tokens; what follows "but" outweighs
what precedes it; boosters, capitals, stretched words ("soooo") and "!!!"
strengthen; a stated service failure counts as negative even without a sentiment
word, and a bare negation does when nothing else is positive; polite words in a
request ("hi", "please", "thanks in advance") count for nothing; praise that opens
or closes a complaint, or thanks for the failure itself, is read as irony; a plain
question leans neutral. Links, @mentions and the "#" of hashtags are ignored.
`sentiment()` then weighs those few numbers with a small linear layer whose 42
weights sentiment_fit.py fitted offline (sentiment_weights.py).
"""

import math
import re
from functools import lru_cache
from importlib import resources
from operator import mul

from townhall.triage.nlp.sentiment_cues import (
    FAILURE_CAP,
    FAILURE_VALENCE,
    FAILURES,
    IRONY_CLOSERS,
    IRONY_OPENERS,
    IRONY_PHRASES,
    IRONY_WORDS,
    REQUEST,
    THANKS_DONE,
    THANKS_IN_ADVANCE,
    WEAK,
    WEAK_VALENCE,
)
from townhall.triage.nlp.sentiment_data import BOOSTERS, EMOJI, EMOTICONS, NEGATIONS, PHRASES, WORDS
from townhall.triage.nlp.sentiment_weights import BIASES, WEIGHTS
from townhall.triage.nlp.text import alternation, normalise

MAX_CHARS = 2000
LABELS = ("negative", "neutral", "positive")
# What signals() returns, in order; sentiment_weights.py holds one weight per
# feature and label, fitted by sentiment_fit.py (docs/decisions/0104).
FEATURES = (
    "lexicon_score", "positive_squashed", "negative_squashed", "positive", "negative",
    "question", "request", "thanked", "courtesy", "shouting", "double_question", "mixed", "link",
)
_NEG, _POS = 0, 2
# Set by hand, not fitted: the weights were fitted with the three labels counted
# equally, but messages to an organisation are complaints more often than general
# tweets are, so a message with faint negative evidence leans negative.
COMPLAINT_PRIOR = {"negative": 0.3, "neutral": 0.0, "positive": 0.0}

_TOKEN = re.compile(r"[a-z][a-z']*")
_TOKEN_OR_STOP = re.compile(r"[a-z][a-z']*|[,.;:!?]")
_PUNCTUATION = frozenset(",.;:!?")
_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+")
_PHRASE_RE = re.compile(r"\b(?:" + alternation(PHRASES) + r")\b")
_EMOJI_RE = re.compile(alternation(EMOJI))
_EMOTICON_RE = re.compile(r"(?<![\w:;=<>'])(?:" + alternation(EMOTICONS) + r")(?![\w/\\])")
_EMOTICON_MARKS = frozenset(":;=<-")
# Letters held for effect ("soooo", "whyyyy"): three or more of one letter.
_STRETCHED = re.compile(r"([a-z])\1{2,}")


def _grouped_failures() -> list[tuple[frozenset[str], re.Pattern[str]]]:
    """One regex per set of trigger words: five time patterns share theirs and scan once."""
    grouped: dict[str, list[str]] = {}
    for words, pattern in FAILURES:
        grouped.setdefault(words, []).append(pattern)
    return [(frozenset(words.split()), re.compile("|".join(f"(?:{p})" for p in patterns)))
            for words, patterns in grouped.items()]


_FAILURE_RES = _grouped_failures()
_THANKS_WORDS = frozenset("thanks thank thx ta cheers appreciate appreciated".split())
_IRONY_WORDS = frozenset(IRONY_WORDS.split())
_IRONY_OPENER_RE = re.compile(IRONY_OPENERS)
_IRONY_CLOSER_RE = re.compile(IRONY_CLOSERS)
_IRONY_RE = re.compile("|".join(IRONY_PHRASES))
_REQUEST_RE = re.compile(r"\b(?:" + alternation(REQUEST) + r")\b")
_WEAK_RE = re.compile(WEAK)
_THANKS_RE = re.compile(THANKS_DONE)
_ADVANCE_RE = re.compile(THANKS_IN_ADVANCE)
_SIGN_OFF_RE = re.compile(
    r"(?:thanks|thank you|thx|ta|cheers|many thanks|thanks in advance)(?: (?:very|so) much)?[\s!.x]*$")
_SHOUT = re.compile(r"\b[A-Z]{3,}\b")
_QUESTION_START = re.compile(
    r"^(?:hi|hello|hey|morning|afternoon|evening)?[\s,!.]*(?:is|are|do|does|did|can|could|will|would|"
    r"should|shall|what|when|where|which|who|how|have|has|may)\b")
_IRONY_VALENCE = -3.0
_SQUASH = 15.0


@lru_cache(maxsize=1)
def _layer() -> list[tuple[float, tuple[float, ...]]]:
    if set(WEIGHTS) != set(LABELS) or any(len(row) != len(FEATURES) for row in WEIGHTS.values()):
        raise RuntimeError("sentiment_weights.py does not match FEATURES: refit with sentiment_fit.py")
    return [(BIASES[label] + COMPLAINT_PRIOR[label], tuple(WEIGHTS[label])) for label in LABELS]


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


def _token_valences(tokens: list[str], lexicon: dict[str, float], pivot: int) -> tuple[float, float]:
    """(sum of positive, sum of negative) word valences after negation, boosters and "but".

    Punctuation tokens end a negation's reach: in "no reply, absolute shambles"
    the "no" does not soften "shambles".
    """
    positive = negative = 0.0
    clause_start = 0
    for i, token in enumerate(tokens):
        if token in _PUNCTUATION:
            clause_start = i + 1
            continue
        value = lexicon.get(token)
        if not value or token in BOOSTERS:
            continue
        if i > clause_start:
            window = tokens[max(clause_start, i - 3):i]
            boost = sum(BOOSTERS.get(w, 0.0) for w in window[-2:])
            if boost:
                value += math.copysign(boost, value)
            if not NEGATIONS.isdisjoint(window):
                # "not happy" is plainly negative; "not awful" is only faintly positive.
                value *= -0.7 if value > 0 else -0.3
        if pivot >= 0:
            # What follows "but" is what the writer means.
            value *= 0.5 if i < pivot else 1.5
        if value > 0:
            positive += value
        else:
            negative += value
    return positive, negative


def _unstretch(token: str, lexicon: dict[str, float]) -> str:
    """ "goooood" -> "good", "soooo" -> "so": the spelling the word lists know."""
    double = _STRETCHED.sub(r"\1\1", token)
    if double in lexicon or double in BOOSTERS or double in NEGATIONS:
        return double
    return _STRETCHED.sub(r"\1", token)


def _readable(lowered: str) -> str:
    """Lowered text without links, @mentions or the "#" of hashtags."""
    if "@" in lowered or "//" in lowered or "www." in lowered:
        lowered = _NOISE.sub(" ", lowered)
    if "#" in lowered or "_" in lowered:
        # A hashtag reads as its word ("#fail"); names run together stay one
        # unknown word, which is safer than splitting "#TheWalkingDead".
        lowered = lowered.replace("#", " ").replace("_", " ")
    return lowered.strip()


def signals(text: str, *, lowered: str | None = None) -> tuple[float, ...]:
    """The hand-written evidence about one message, in the order of FEATURES.

    `lowered` may carry normalise(text[:MAX_CHARS]).
    """
    raw = text[:MAX_CHARS]
    if lowered is None:
        lowered = normalise(raw)
    clean = _readable(lowered)
    lexicon = _lexicon()

    but_at = clean.find(" but ")

    def weigh(start: int, value: float) -> float:
        if but_at >= 0:
            return value * (0.5 if start < but_at else 1.5)
        return value

    phrases = [(m.start(), PHRASES[m.group(0)]) for m in _PHRASE_RE.finditer(clean)]
    rest = _PHRASE_RE.sub(" ", clean) if phrases else clean
    tokens = _TOKEN_OR_STOP.findall(rest)
    stretched = _STRETCHED.search(rest) is not None
    if stretched:
        tokens = [_unstretch(t, lexicon) if _STRETCHED.search(t) else t for t in tokens]
    pivot = tokens.index("but") if but_at >= 0 and "but" in tokens else -1
    positive, negative = _token_valences(tokens, lexicon, pivot)
    for start, value in phrases:
        value = weigh(start, value)
        if value > 0:
            positive += value
        else:
            negative += value
    # Emoji lie outside ASCII; emoticons need one of a few marks.
    if not raw.isascii():
        for m in _EMOJI_RE.finditer(raw):
            value = EMOJI[m.group(0)]
            if value > 0:
                positive += value
            else:
                negative += value
    if ":" in raw or ";" in raw or "<3" in raw or "=" in raw or "-_-" in raw or "xD" in raw or "XD" in raw:
        for m in _EMOTICON_RE.finditer(raw):
            value = EMOTICONS[m.group(0)]
            if value > 0:
                positive += value
            else:
                negative += value

    words = set(_TOKEN.findall(clean))
    failures = 0.0
    count = 0
    for triggers, pattern in _FAILURE_RES:
        if not triggers.isdisjoint(words):
            for m in pattern.finditer(rest):
                if count < FAILURE_CAP:
                    failures += weigh(m.start(), FAILURE_VALENCE)
                    count += 1
    negative += failures
    request = clean.endswith("?") or _REQUEST_RE.search(clean) is not None
    thanked = not _THANKS_WORDS.isdisjoint(words) and _THANKS_RE.search(clean) is not None
    # "..., thanks" closing a request is a courtesy, not praise.
    courtesy = bool(thanked and request and (_SIGN_OFF_RE.search(clean) or _ADVANCE_RE.search(clean)))
    irony = False
    if not _IRONY_WORDS.isdisjoint(words) and _IRONY_RE.search(clean):
        positive, negative = 0.0, negative + _IRONY_VALENCE
        irony = True
    elif negative <= -0.8 and (_IRONY_OPENER_RE.search(clean) or _IRONY_CLOSER_RE.search(clean)):
        # "great, the road is closed again": praise around a complaint is ironic.
        positive = 0.0
        irony = True
    if irony:
        # Ironic thanks is no thanks.
        thanked = courtesy = False
    elif failures or negative <= -2.0:
        # Polite thanks around a complaint does not make it a happy message.
        if thanked:
            positive *= 0.3
    elif request and (not thanked or courtesy):
        # A plain request or question: warm words in it are politeness.
        positive *= 0.35
        negative *= 0.7

    # A question that already carries a strong complaint ("how hard is it to ...?") is no plain question.
    question = request and count <= 1 and negative > -2.0 and _QUESTION_START.search(clean) is not None
    weak = not positive and not question and _WEAK_RE.search(rest) is not None
    if weak:
        negative += WEAK_VALENCE

    total = positive + negative
    exclaim = min(raw.count("!"), 4)
    shouting = 0
    if total:
        shouting = len(_SHOUT.findall(raw)) if not raw.isupper() else 2
        emphasis = 1.0 + 0.08 * exclaim + 0.1 * min(shouting, 3) + 0.1 * stretched
        total *= emphasis
    doubled = "??" in raw or "?!" in raw or "!?" in raw
    if doubled and total < 1.0:
        total -= 1.0
    if question:
        # An information question ("is there an outage in CF10?") leans neutral;
        # complaints asked as questions start with "why" or "how many times".
        total *= 0.5
    lexicon_score = total / math.sqrt(total * total + _SQUASH)
    return (
        lexicon_score,
        positive / math.sqrt(positive * positive + 4.0),
        -negative / math.sqrt(negative * negative + 4.0),
        min(positive, 8.0) / 4.0,
        min(-negative, 8.0) / 4.0,
        float(question),
        float(request),
        float(thanked),
        float(courtesy),
        min(shouting, 3) / 3.0,
        float(doubled),
        float(bool(positive) and bool(negative)),
        float("//" in raw or "www." in raw),
    )


def sentiment(text: str, *, lowered: str | None = None) -> tuple[str, float]:
    """Label and score in -1..1; `lowered` may carry normalise(text[:MAX_CHARS]).

    The score is P(positive) - P(negative) from the linear layer.
    """
    x = signals(text, lowered=lowered)
    logits = [bias + sum(map(mul, row, x)) for bias, row in _layer()]
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = exps[0] + exps[1] + exps[2]
    best = logits.index(top)
    score = (exps[_POS] - exps[_NEG]) / total
    return LABELS[best], round(score, 3)
