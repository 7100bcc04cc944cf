"""Priority from safeguarding, hazards and category."""

import re

from townhall.triage.nlp.text import normalise_for_matching

CRITICAL, HIGH, NORMAL, LOW = "critical", "high", "normal", "low"
LOW_CATEGORIES = frozenset({"compliments", "general_enquiry"})

# Urgent hazards that are not (yet) a danger to life: a crew today, not a 999 call.
_HAZARD = re.compile(
    "|".join(
        [
            r"\bexposed (?:wire|wires|cable|cables|wiring)\b",
            r"\b(?:wires|cables) (?:hanging|exposed)\b",
            r"\bdoor (?:missing|open|off)\b[^.]{0,20}\b(?:lamp|column|post)\b",
            r"\bflood\w* (?:into|in) (?:my|our|the|their|his|her) (?:home|house|flat|kitchen|property|homes|houses)\b",
            r"\bwater (?:coming|pouring|getting) into (?:my|our|the) (?:home|house|flat|property)\b",
            r"\bsewage\b",
            r"\bno (?:heating|hot water)\b",
            r"\bboiler (?:broken|not working)\b",
            r"\bdeath ?trap\b",
            r"\b(?:fallen|collapsed) (?:tree|wall|lamp ?post|column)\b",
            r"\btree (?:has )?(?:fallen|down|collapsed)\b",
            r"\bsink ?hole\b",
            r"\b(?:missing|open|broken) (?:manhole|drain) cover\b|\bmanhole cover (?:missing|open)\b",
            r"\btraffic lights? (?:not working|out|off|all out|stuck)\b",
            r"\bblack ice\b",
            r"\b(?:needles|syringes|sharps)\b",
            r"\basbestos\b",
            r"\burgent\w*\b|\bemergency\b",
            r"\bhomeless tonight\b|\bnowhere to (?:sleep|stay)\b",
            r"\bcarbon monoxide\b",
            r"\bdangerous\b[^.]{0,40}\b(?:children|kids|elderly|wheelchair|blind)\b",
        ]
    )
)
_VULNERABLE_NEED = re.compile(
    r"\b(?:elderly|disabled|vulnerable|pensioner|newborn|baby|dementia)\b[^.]{0,60}"
    r"\b(?:no heating|no hot water|cold|freezing|no food|stranded)\b"
)


# Hazards are looked for in the opening of a message.
MAX_CHARS = 20000


def priority_for(*, category: str, safeguarding: bool, text: str, folded: str | None = None) -> str:
    """`folded` may carry normalise_for_matching(text[:MAX_CHARS]) when the caller has it."""
    if safeguarding:
        return CRITICAL
    if folded is None:
        folded = normalise_for_matching(text[:MAX_CHARS])
    if _HAZARD.search(folded) or _VULNERABLE_NEED.search(folded):
        return HIGH
    if category in LOW_CATEGORIES:
        return LOW
    return NORMAL
