"""Language identification tuned for English against Welsh, best effort for others.

English and Welsh must be told apart reliably because the Welsh Language
Standards require a Welsh reply to a Welsh message; other languages are routed
to a person, so a rough guess is enough for them.
"""

import re
import unicodedata
from operator import mul

from townhall.triage.nlp.language_data import ENGLISH_MARKS, FUNCTION_WORDS, LETTER_HINTS, WELSH_MARKS

UNDETERMINED = "und"
_WORD_LISTS = {lang: frozenset(words.split()) for lang, words in FUNCTION_WORDS.items()}
# The same lists turned round: for each function word, the languages that use it.
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in _WORD_LISTS.items():
    for _word in _words:
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _lang)
_WELSH_SEQ, _WELSH_WEIGHTS = tuple(WELSH_MARKS), tuple(WELSH_MARKS.values())
_ENGLISH_SEQ, _ENGLISH_WEIGHTS = tuple(ENGLISH_MARKS), tuple(ENGLISH_MARKS.values())
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|'r\b")
_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|\S+@\S+")
_MAX_CHARS = 2000

_BEYOND_LATIN = re.compile(r"[^\x00-\u024f]")
_URDU_ONLY = set("ٹڈڑںےۓھ")
_PERSIAN = set("پچژگک")


def _script_language(text: str) -> str | None:
    if text.isascii():
        return None
    counts: dict[str, int] = {}
    for ch in _BEYOND_LATIN.findall(text):
        if ch.isalpha():
            name = unicodedata.name(ch, "").split(" ")[0]
            counts[name] = counts.get(name, 0) + 1
    letters = sum(1 for ch in text if ch.isalpha())
    if not counts or sum(counts.values()) < 0.3 * letters:
        return None
    script = max(counts, key=lambda k: counts[k])
    if script == "ARABIC":
        chars = set(text)
        if chars & _URDU_ONLY:
            return "ur"
        return "fa" if chars & _PERSIAN else "ar"
    if script == "CYRILLIC":
        return "uk" if set(text) & set("іїєґІЇЄҐ") else "ru"
    if script in ("HIRAGANA", "KATAKANA"):
        return "ja"
    if script == "CJK":
        return "ja" if any("\u3040" <= c <= "\u30ff" for c in text) else "zh"
    return {"DEVANAGARI": "hi", "GURMUKHI": "pa", "BENGALI": "bn", "GUJARATI": "gu",
            "TAMIL": "ta", "GREEK": "el", "HEBREW": "he", "HANGUL": "ko", "THAI": "th",
            "ETHIOPIC": "am", "TELUGU": "te", "MALAYALAM": "ml"}.get(script)


# "w" and "y" are vowels in Welsh: "cwm", "chwip", "mynd", "llyn".
_W_VOWEL = re.compile(r"[bcdfghlmnprst]w[bcdfghlmnprst]")
_Y_VOWEL = re.compile(r"[bcdfghlmnprst]y[bcdfghlmnprst]")


def _welsh_minus_english(lowered: str) -> float:
    padded = f" {lowered} "
    score = sum(map(mul, _WELSH_WEIGHTS, map(padded.count, _WELSH_SEQ)))
    score += 1.0 * len(_W_VOWEL.findall(padded)) + 0.4 * len(_Y_VOWEL.findall(padded))
    score -= sum(map(mul, _ENGLISH_WEIGHTS, map(padded.count, _ENGLISH_SEQ)))
    return score


def detect_language(text: str) -> str:
    """ISO 639-1 code, or "und" when there is nothing to go on."""
    text = text[:_MAX_CHARS]
    # Every kind of noise needs one of these; most messages have none, so skip the scan.
    if "@" in text or "#" in text or "http" in text or "www." in text:
        text = _NOISE.sub(" ", text)
    by_script = _script_language(text)
    if by_script:
        return by_script
    lowered = unicodedata.normalize("NFC", text).lower().replace("\u2019", "'")
    tokens = _TOKEN.findall(lowered)
    if not tokens:
        return UNDETERMINED
    scores = {lang: 0.0 for lang in _WORD_LISTS}
    for token in tokens:
        if "'" in token:
            head, _, tail = token.partition("'")
            if tail in ("n", "r", "i", "w", "m", "th"):
                # "mae'n", "sy'n", "i'r": the clitic after an apostrophe is Welsh;
                # English contractions end in "t", "s", "re", "ll", "ve" or "d".
                scores["cy"] += 1.0
                token = head
        for lang in _LANGUAGES_OF.get(token, ()):
            scores[lang] += 1.0
    # Every hint letter is outside ASCII, so plain ASCII text needs no look.
    if not lowered.isascii():
        for ch, lang in LETTER_HINTS.items():
            if ch in lowered:
                scores[lang] = scores.get(lang, 0.0) + 2.0 * lowered.count(ch)
    # Letter patterns settle English against Welsh when function words are few.
    letters = _welsh_minus_english(lowered)
    scale = 4.0 / max(len(lowered), 20) ** 0.5
    scores["cy"] += max(letters, 0.0) * scale
    scores["en"] += max(-letters, 0.0) * scale
    # English is the usual language of UK council mail, so a faint signal stays English.
    scores["en"] += 0.6
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < 0.5:
        return "en"
    return best
