"""Back-office statuses in plain words, and the reply that tells a resident about one."""

from django.utils.translation import gettext_lazy as _

from townhall.open311.models import RequestUpdate

STATUS_NAMES = {
    "open": _("Open"), "closed": _("Closed"), "fixed": _("Fixed"),
    "in_progress": _("In progress"), "action_scheduled": _("Work scheduled"),
    "investigating": _("Being investigated"), "duplicate": _("Already reported"),
    "not_councils_responsibility": _("Not the council's responsibility"),
    "no_further_action": _("No further action"), "internal_referral": _("Passed to another team"),
    "unable_to_fix": _("Cannot be fixed"), "cancelled": _("Cancelled"),
}

# The reply goes in the resident's language, whatever the officer's screen is in.
RESIDENT_STATUS = {
    "en": {"open": "it is open", "closed": "it is now closed", "fixed": "it has been fixed",
           "in_progress": "work is in progress", "action_scheduled": "work is scheduled",
           "investigating": "it is being investigated",
           "duplicate": "it had already been reported",
           "not_councils_responsibility": "it is not the council's responsibility",
           "no_further_action": "no further action is needed",
           "internal_referral": "it has been passed to another team"},
    "cy": {"open": "mae ar agor", "closed": "mae wedi cau", "fixed": "mae wedi'i drwsio",
           "in_progress": "mae'r gwaith ar y gweill", "action_scheduled": "mae gwaith wedi'i drefnu",
           "investigating": "mae'n cael ei ymchwilio",
           "duplicate": "roedd wedi cael ei adrodd yn barod",
           "not_councils_responsibility": "nid cyfrifoldeb y cyngor ydyw",
           "no_further_action": "nid oes angen gwneud dim mwy",
           "internal_referral": "mae wedi'i basio i dîm arall"},
}
OPENING = {"en": "An update on the problem you reported ({reference}): {status}.",
           "cy": "Diweddariad ar y broblem y rhoesoch wybod amdani ({reference}): {status}."}


def status_name(status: str) -> str:
    return str(STATUS_NAMES.get(status, status.replace("_", " ").capitalize()))


def update_reply_text(*, update: RequestUpdate, language: str) -> str:
    """The reply an officer starts from, in English or Welsh."""
    language = "cy" if language == "cy" else "en"
    conversation = update.request.conversation
    status = RESIDENT_STATUS[language].get(update.status, update.status.replace("_", " "))
    text = OPENING[language].format(reference=conversation.reference, status=status)
    if update.description:
        text = f"{text} {update.description.strip()}"
    return text
