"""Make composed sentences read like residents type them: typos, shorthand, emoji and shouting."""

from __future__ import annotations

import random
import re

ABBREVIATIONS = {
    "please": "pls", "you": "u", "thanks": "thx", "tomorrow": "tmrw", "because": "cos",
    "people": "ppl", "about": "abt", "council": "cncl", "weeks": "wks", "before": "b4",
}
EMOJI = ("😡", "🙄", "😤", "👍", "🙏", "😂", "🤬", "😩", "💩", "‼️", "🤦‍♀️", "😠", "🤞")
_WORD = re.compile(r"\b[a-z]{5,}\b")
_CIRCUMFLEX = str.maketrans("âêîôûŵŷ", "aeiouwy")


def _in_address(text: str, start: int, end: int) -> bool:
    """Whether a word is part of an email address or domain, which a typo must not touch."""
    before, after = text[start - 1: start] if start else "", text[end: end + 2]
    return before in ("@", ".") or after[:1] == "@" or (after[:1] == "." and after[1:].isalpha())


def _typo(rng: random.Random, text: str) -> str:
    words = [m for m in _WORD.finditer(text) if not _in_address(text, m.start(), m.end())]
    if not words:
        return text
    match = rng.choice(words)
    word = match.group()
    i = rng.randrange(1, len(word) - 1)
    # Swapping two neighbouring letters or doubling one are the commonest phone typos.
    changed = word[:i] + word[i + 1] + word[i] + word[i + 2:] if rng.random() < 0.6 else (
        word[:i] + word[i] + word[i:])
    return text[: match.start()] + changed + text[match.end():]


def _abbreviate(text: str) -> str:
    for long, short in ABBREVIATIONS.items():
        text = re.sub(rf"\b{long}\b", short, text)
    return text


def roughen(rng: random.Random, text: str, language: str, *, angry: bool = True) -> str:
    """Return ``text`` as a resident might actually have typed it."""
    if language == "cy":
        if rng.random() < 0.25:
            text = text.translate(_CIRCUMFLEX)
        if rng.random() < 0.15:
            text = text.lower()
        if rng.random() < 0.2:
            text = text.rstrip(".")
        if rng.random() < 0.08:
            text += " " + rng.choice(EMOJI)
        return text
    if rng.random() < 0.12:
        text = _abbreviate(text)
    if rng.random() < 0.15:
        text = text.replace("'", "")
    if rng.random() < 0.14:
        text = _typo(rng, text)
    if angry and rng.random() < 0.05:
        first, _, rest = text.partition(". ")
        text = first.upper() + "!!!" + (" " + rest if rest else "")
    if rng.random() < 0.2:
        text = text.lower()
    if rng.random() < 0.25:
        text = text.rstrip(".")
    if rng.random() < 0.08:
        text = text.rstrip(".?!") + rng.choice(("!!", "??", "!!!", "?!"))
    if rng.random() < 0.16:
        text += " " + rng.choice(EMOJI)
    return text
