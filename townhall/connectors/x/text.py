"""How long X counts a post, approximating twitter-text's weighted length (config v3).

X counts in weighted units of which a post may hold 280. Every URL counts as 23 units
whatever its length, because X wraps it in a t.co link. Characters in the Latin,
Greek, Cyrillic and general-punctuation ranges count 1; everything else (Chinese,
Japanese and Korean script, most emoji) counts 2. The approximation: twitter-text
counts a whole emoji sequence (a family, a flag) as 2, where this counts each of its
code points, so it may refuse a post full of joined emoji that X would accept; it
never accepts one X would refuse. URLs are found by a simple pattern, not
twitter-text's full list of top-level domains, so a bare "example.com" counts as
typed.
"""

import re
import unicodedata

MAX_WEIGHTED_LENGTH = 280
URL_LENGTH = 23
DM_MAX_LENGTH = 10_000
# twitter-text v3: code points in these ranges weigh 1; all others weigh 2.
LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
URL = re.compile(r"https?://[^\s]+|www\.[^\s]+", re.IGNORECASE)


def _weight(char: str) -> int:
    point = ord(char)
    return 1 if any(low <= point <= high for low, high in LIGHT_RANGES) else 2


def weighted_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    urls = URL.findall(text)
    rest = URL.sub("", text)
    return len(urls) * URL_LENGTH + sum(_weight(c) for c in rest)
