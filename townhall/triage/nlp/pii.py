"""Personal data spans and redaction.

Offsets are Python string indices into the text exactly as received, so the
app can highlight or mask spans without re-normalising anything.
"""

import re
from dataclasses import dataclass

from townhall.triage.nlp.places import POSTCODE_RE


@dataclass(frozen=True)
class Span:
    type: str
    start: int
    end: int

    def as_dict(self) -> dict[str, object]:
        return {"type": self.type, "start": self.start, "end": self.end}


LABELS = {
    "email": "[EMAIL]", "url": "[URL]", "phone": "[PHONE]", "postcode": "[POSTCODE]",
    "national_insurance": "[NI_NUMBER]", "card_number": "[CARD_NUMBER]",
    "sort_code": "[SORT_CODE]", "bank_account": "[BANK_ACCOUNT]",
    "date_of_birth": "[DATE_OF_BIRTH]", "account_reference": "[ACCOUNT_REFERENCE]",
}

_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})*\.[a-zA-Z]{2,24}\b")
_WWW = re.compile(r"(?i)www\.")
_DIGIT = re.compile(r"\d")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']{2,2000}", re.IGNORECASE)
# UK numbers: +44 / 0044 / 0 then 9-10 digits, spaces, dashes or brackets allowed.
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s-]?\)?[\s-]?\d){8,9}(?![\d])")
_NINO = re.compile(
    r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
    re.IGNORECASE)
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_SORT_CODE = re.compile(r"(?<![\d-])\d{2}-\d{2}-\d{2}(?![\d-])|(?i:sort\s?code)\D{0,5}(\d{2}\s?\d{2}\s?\d{2})\b")
_ACCOUNT = re.compile(r"(?i:account|acc|a/c)(?:\s?(?:no|number|num))?\.?\s?[:#]?\s?(\d{8})\b")
_DOB = re.compile(
    r"(?i:\bdob\b|date of birth|d\.o\.b\.?|born on|born)\W{0,3}"
    r"(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\s+\d{4})")
_REFERENCE = re.compile(
    r"(?i:council tax|ctax|account|acc|reference|ref|case|customer|pcn|claim)"
    r"(?:\s?(?:no|number|num|ref|reference|id))?\.?\s?[:#]?\s?([A-Z]{0,3}\d[A-Z\d]{5,14})\b")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _group_span(match: re.Match[str], kind: str) -> Span:
    group = 1 if match.lastindex else 0
    return Span(kind, match.start(group), match.end(group))


def find_pii(text: str) -> list[Span]:
    """Non-overlapping spans, earliest first; a longer span wins an overlap."""
    found: list[Span] = []
    # Cheap tests first: most messages hold no "@", no link and no digit, and
    # every pattern below needs one of those, so most skip the costly scans.
    if "@" in text:
        found += [Span("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    if "://" in text or _WWW.search(text):
        for m in _URL.finditer(text):
            # Sentence punctuation after a link is not part of it.
            url = m.group(0).rstrip(".,;:!?)]}")
            found.append(Span("url", m.start(), m.start() + len(url)))
    if _DIGIT.search(text):
        found += _numbered(text)
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    for span in found:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def _numbered(text: str) -> list[Span]:
    """Spans whose patterns all need a digit."""
    found: list[Span] = []
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        # Only a Luhn-valid number is a card; other long numbers are left alone.
        if 13 <= len(digits) <= 19 and luhn_ok(digits):
            found.append(Span("card_number", m.start(), m.end()))
    found += [Span("phone", m.start(), m.end()) for m in _PHONE.finditer(text)]
    found += [Span("national_insurance", m.start(), m.end()) for m in _NINO.finditer(text)]
    found += [_group_span(m, "sort_code") for m in _SORT_CODE.finditer(text)]
    found += [_group_span(m, "bank_account") for m in _ACCOUNT.finditer(text)]
    found += [_group_span(m, "date_of_birth") for m in _DOB.finditer(text)]
    found += [_group_span(m, "account_reference") for m in _REFERENCE.finditer(text)]
    found += [Span("postcode", m.start(), m.end()) for m in POSTCODE_RE.finditer(text)]
    return found


def redact(text: str, spans: list[Span]) -> str:
    parts: list[str] = []
    cursor = 0
    for span in spans:
        parts.append(text[cursor:span.start])
        parts.append(LABELS[span.type])
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts)
