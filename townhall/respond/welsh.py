"""The Welsh rule: a resident who wrote in Welsh gets a reply in Welsh.

Under the Welsh Language Standards a council must answer Welsh correspondence in Welsh.
A reply in Welsh, or in Welsh and English, is fine; a reply in English only is blocked
unless a supervisor overrides, and every override is audited.
"""

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from townhall.triage.nlp.language import detect_language

if TYPE_CHECKING:
    from townhall.inbox.models import Conversation

WELSH, ENGLISH, BOTH = "cy", "en", "mul"
_PARAGRAPHS = re.compile(r"\n\s*\n|\n")


class WelshReplyRequired(ValidationError):
    """An English-only reply to a resident who wrote in Welsh."""

    def __init__(self, *, can_override: bool) -> None:
        self.can_override = can_override
        text = _("This resident wrote in Welsh, so the reply must be in Welsh, or in Welsh "
                 "and English.")
        if can_override:
            text += " " + _("If it must go in English only, tick the box to override the "
                            "Welsh rule. Your override is recorded.")
        else:
            text += " " + _("If it must go in English only, tick the box to ask a "
                            "supervisor to approve it.")
        super().__init__(text)


def reply_language(text: str) -> str:
    """"cy", "en", "mul" (Welsh and English both) or another code, for a reply's text.

    Each line is checked on its own, so a bilingual reply with a short Welsh greeting
    still counts as containing Welsh.
    """
    # A signature line ("^Alex") says nothing about the language.
    parts = [p.strip() for p in _PARAGRAPHS.split(text)
             if p.strip() and not p.strip().startswith("^")]
    text = "\n".join(parts)
    found = {detect_language(p) for p in parts if len(p) >= 2}
    if WELSH in found and ENGLISH in found:
        return BOTH
    if WELSH in found:
        return WELSH
    return detect_language(text) if text.strip() else ""


def has_welsh(text: str) -> bool:
    return reply_language(text) in (WELSH, BOTH)


def resident_language(conversation: "Conversation") -> str:
    """The language of the resident's latest message, else the conversation's."""
    from townhall.inbox.models import Direction, Message

    latest = (Message.objects.filter(conversation_id=conversation.pk, direction=Direction.IN)
              .exclude(language__in=["", "und"]).order_by("-created_at", "-id")
              .values_list("language", flat=True).first())
    return latest or conversation.language


def welsh_rule_applies(conversation: "Conversation") -> bool:
    """True if the council has Welsh Language Standards and the resident wrote in Welsh."""
    if not conversation.council.welsh_language_standards:
        return False
    return resident_language(conversation) == WELSH


def breaks_welsh_rule(conversation: "Conversation", text: str) -> bool:
    return welsh_rule_applies(conversation) and not has_welsh(text)
