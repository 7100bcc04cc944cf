"""Self-service route URLs: check a council's template, then fill it in for one conversation.

A template is the address of the council's own form, with optional placeholders that the
form understands, for example
`https://www.example.gov.uk/report?category={category}&postcode={postcode}`.

Placeholders may only appear after the host name, and every value is percent-encoded
before it goes in, so nothing a resident wrote can change where the link leads: the
tracked link only ever sends people to the site the council configured.
"""

import re
from dataclasses import dataclass
from string import Formatter
from urllib.parse import quote, urlsplit

from django.utils.translation import gettext as _

PLACEHOLDERS = ("category", "postcode", "street", "place", "reference")
_BRACES = re.compile(r"[{}]")


class RouteTemplateError(ValueError):
    """The template is not a URL Townhall can safely send residents to; the text says why."""


@dataclass(frozen=True)
class RouteValues:
    category: str = ""
    postcode: str = ""
    street: str = ""
    place: str = ""
    reference: str = ""


def _fields(template: str) -> list[str]:
    """The placeholder names; a conversion or format spec ({postcode!r}) counts as unknown."""
    try:
        return [name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
                for _, name, spec, conversion in Formatter().parse(template) if name is not None]
    except ValueError:
        raise RouteTemplateError(
            _("A brace { or } is not closed. Placeholders look like {postcode}.")) from None


def template_check(template: str) -> str:
    """Return the template tidied, or raise RouteTemplateError saying what to change."""
    template = template.strip()
    parts = urlsplit(template)
    if parts.scheme != "https" or not parts.netloc:
        raise RouteTemplateError(
            _("Enter the full address of the form, starting with https://"))
    if _BRACES.search(parts.netloc):
        raise RouteTemplateError(
            _("Placeholders can only go after the site name, not in it."))
    for name in _fields(template):
        if name not in PLACEHOLDERS:
            raise RouteTemplateError(
                _("{%(name)s} is not a placeholder Townhall can fill in. Use %(known)s.")
                % {"name": name, "known": ", ".join("{" + p + "}" for p in PLACEHOLDERS)})
    return template


def template_fill(template: str, values: RouteValues) -> str:
    """The template with each placeholder replaced by its percent-encoded value.

    Raises RouteTemplateError if the result would lead anywhere but the template's site,
    which template_check makes impossible for a stored template; the check stays as a
    second lock on the door.
    """
    template = template_check(template)
    filled = template.format(**{name: quote(getattr(values, name), safe="")
                                for name in PLACEHOLDERS})
    before, after = urlsplit(template), urlsplit(filled)
    if (before.scheme, before.netloc) != (after.scheme, after.netloc):
        raise RouteTemplateError(_("The filled-in address leads to another site."))
    return filled


def places_values(places: list[dict[str, object]]) -> tuple[str, str, str]:
    """The first postcode, street and place name triage found, as (postcode, street, place)."""
    found: dict[str, str] = {}
    for place in places or []:
        kind, text = str(place.get("type", "")), str(place.get("text", "")).strip()
        if kind in ("postcode", "street", "place") and text and kind not in found:
            found[kind] = text.upper() if kind == "postcode" else text
    return found.get("postcode", ""), found.get("street", ""), found.get("place", "")
