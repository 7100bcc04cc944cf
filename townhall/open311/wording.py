"""Back-office statuses in plain words, and the reply that tells a resident about one."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from townhall.open311.models import RequestUpdate

if TYPE_CHECKING:
    from townhall.inbox.models import Conversation

STATUS_NAMES = {
    "open": _("Open"), "closed": _("Closed"), "fixed": _("Fixed"),
    "in_progress": _("In progress"), "action_scheduled": _("Work scheduled"),
    "investigating": _("Being investigated"), "duplicate": _("Already reported"),
    "not_councils_responsibility": _("Not the council's responsibility"),
    "no_further_action": _("No further action"), "internal_referral": _("Passed to another team"),
    "unable_to_fix": _("Cannot be fixed"), "cancelled": _("Cancelled"),
}

# The reply goes in the resident's language, whatever the officer's screen is in, so
# these are not gettext strings: a Welsh reply is Welsh even on an English screen.
RESIDENT_STATUS = {
    "en": {"open": "we have passed it to the team that deals with it",
           "closed": "the work is finished and the report is now closed",
           "fixed": "it has been fixed",
           "in_progress": "work on it has started", "action_scheduled": "the work is booked",
           "investigating": "an officer is looking into it",
           "duplicate": "it had already been reported, so we are dealing with it under "
                        "that report",
           "not_councils_responsibility": "it is not something the council looks after, so "
                                          "we cannot fix it ourselves",
           "no_further_action": "we looked into it and no further action is needed",
           "internal_referral": "it has been passed to another team",
           "unable_to_fix": "we are not able to fix it",
           "cancelled": "the report has been cancelled"},
    "cy": {"open": "rydym wedi'i basio i'r tîm sy'n delio ag ef",
           "closed": "mae'r gwaith wedi'i orffen ac mae'r adroddiad bellach wedi cau",
           "fixed": "mae wedi'i drwsio",
           "in_progress": "mae'r gwaith arno wedi dechrau",
           "action_scheduled": "mae'r gwaith wedi'i drefnu",
           "investigating": "mae swyddog yn ymchwilio iddo",
           "duplicate": "roedd wedi cael ei adrodd yn barod, felly rydym yn delio ag ef dan "
                        "yr adroddiad hwnnw",
           "not_councils_responsibility": "nid yw'n rhywbeth y mae'r cyngor yn gofalu "
                                          "amdano, felly ni allwn ei drwsio ein hunain",
           "no_further_action": "rydym wedi edrych arno ac nid oes angen gwneud dim mwy",
           "internal_referral": "mae wedi'i basio i dîm arall",
           "unable_to_fix": "nid ydym yn gallu ei drwsio",
           "cancelled": "mae'r adroddiad wedi'i ganslo"},
}
OPENING = {"en": "An update on the problem you reported ({reference}): {status}.",
           "cy": "Diweddariad ar y broblem y rhoesoch wybod amdani ({reference}): {status}."}
NOTE = "The team's note: {note}"


def status_name(status: str) -> str:
    return str(STATUS_NAMES.get(status, status.replace("_", " ").capitalize()))


def _paragraph(*, update: RequestUpdate, reference: str, language: str) -> str:
    status = RESIDENT_STATUS[language].get(update.status)
    if status is None:
        # A status the back office made up: its own words are the best we have.
        status = {"en": "its status is now '{s}'", "cy": "ei statws bellach yw '{s}'"}[
            language].format(s=update.status.replace("_", " "))
    text = OPENING[language].format(reference=reference, status=status)
    # The back office writes its notes in English: they go with the English paragraph
    # only, so that the Welsh one stays wholly Welsh.
    note = (update.description or "").strip() if language == "en" else ""
    return f"{text} {NOTE.format(note=note)}" if note else text


def update_reply_text(*, update: RequestUpdate, conversation: "Conversation",
                      language: str) -> str:
    """The reply an officer starts from: in English, or for a resident who wrote in
    Welsh, in Welsh and then English (the Welsh Language Standards allow either a Welsh
    or a bilingual reply; the back office's own note is in English)."""
    reference = conversation.reference
    english = _paragraph(update=update, reference=reference, language="en")
    if language != "cy":
        return english
    welsh = _paragraph(update=update, reference=reference, language="cy")
    return f"{welsh}\n\n{english}"
