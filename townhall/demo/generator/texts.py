"""Compose inbound messages and officer replies from independently chosen parts.

A message is opening + problem + detail + closing, with places, days and numbers filled in, then
roughened. Choosing each part separately keeps exact duplicates rare without a huge corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import council
from .noise import roughen
from .replies import EN_ACKS, EN_NEXT, EN_TEAM_ACTION, EN_TOPIC_REPLIES, PRIVACY_NOTE
from .texts_services import SERVICE_PROBLEMS
from .texts_street import STREET_DETAILS, STREET_PROBLEMS
from .welsh import (
    CY_ACKS,
    CY_CLOSINGS,
    CY_DAYS,
    CY_NEXT,
    CY_OPENINGS,
    CY_PERIODS,
    CY_PROBLEMS,
    CY_SERVICE_DETAILS,
    CY_STREET_DETAILS,
    CY_TEAM_ACTION,
    CY_TOPIC_REPLIES,
)

EN_PROBLEMS = {**STREET_PROBLEMS, **SERVICE_PROBLEMS}
LENGTH_LIMITS = {"x": 280, "bluesky": 300, "mastodon": 500}
PUBLIC_PLATFORMS = ("facebook", "x", "instagram", "nextdoor", "mastodon", "bluesky")

EN_OPENINGS = ("Hi", "Hello", "Morning", "Hiya", "Afternoon", "Evening all", "Not happy.",
               "Can someone help?", "Hi there,", "Good morning,", "Quick question -", "Right,",
               "", "", "", "", "")
STREET_GENERIC_DETAILS = (
    "It's been like this for {weeks}.", "I reported it {weeks} ago and nothing has happened.",
    "Reported it before, ref {oldref}.", "This is the third time I've had to report this.",
    "My number is {phone} if you need it.", "Postcode is {postcode}.",
    "The neighbours are fed up too.", "Every single week.",
    "My elderly mum lives here.", "", "", "", "", "", "", "",
)
SERVICE_GENERIC_DETAILS = (
    "I've tried ringing but nobody answers.", "I can't find it on the website.",
    "My number is {phone} if you need to call.", "You can email me on {email}.",
    "I'm at work all day so can't phone.", "My account number is {account}.",
    "I'd rather sort it online if I can.", "Postcode {postcode}.", "", "", "", "", "", "",
)
# During an incident people do not say they reported it weeks ago; they say where they are.
INCIDENT_DETAILS = ("My number is {phone} if you need it.", "We're on {street}.",
                    "Postcode is {postcode}.", "", "", "", "")
INCIDENT_TOPICS = ("flood_incident", "sandbags", "flood_road_closure", "storm_tree", "strike",
                   "snow_bins", "snow_closure")
# Topics from the services table that read like street reports, with street-style details.
STREETLIKE_SERVICES = ("missed_bin", "strike", "snow_bins", "new_bin", "christmas_collections")
EN_CLOSINGS = ("Thanks", "Thank you", "Cheers", "Sort it out please!", "ta", "Many thanks",
               "Thanks in advance", "Can you let me know?", "Diolch", "Please help",
               "What are you going to do about it?", "", "", "", "", "")
EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
EN_WEEKS = ("2 weeks", "three weeks", "a fortnight", "a month", "10 days", "over a week",
            "6 weeks", "ages")
EN_PLACE_PATTERNS = (
    "on {street}", "on {street}, {village}", "outside number {n} {street}",
    "at the bottom of {street}", "near the {landmark} on {street}",
    "by the {landmark} in {village}",
    "on {street} ({postcode})", "on the corner of {street} and {street2}", "in {village}",
    "opposite the {landmark} in {village}", "at the top of {street} in {village}",
)


@dataclass(frozen=True)
class Composed:
    text: str
    has_pii: bool


def postcode(rng: random.Random) -> str:
    letters = council.POSTCODE_INWARD_LETTERS
    district = rng.choice(council.POSTCODE_DISTRICTS)
    return f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def phone(rng: random.Random) -> str:
    # Ofcom keeps 07700 900000 to 900999 for drama, so these numbers can never ring anyone.
    return f"07700 900{rng.randrange(1000):03d}"


def _slots(rng: random.Random, email: str) -> dict[str, str]:
    streets = rng.sample(council.STREETS, 2)
    slots = {
        "street": streets[0], "street2": streets[1], "village": rng.choice(council.VILLAGES),
        "landmark": rng.choice(council.LANDMARKS), "n": str(rng.randint(1, 140)),
        "postcode": postcode(rng), "day": rng.choice(EN_DAYS), "weeks": rng.choice(EN_WEEKS),
        "oldref": f"{rng.choice(('HW', 'WR', 'EN', 'CS'))}-{rng.randint(10000, 99999)}",
        "phone": phone(rng), "email": email, "account": str(rng.randint(60000000, 69999999)),
        "flood_street": council.FLOOD_STREET,
        "river": council.RIVER, "flood_cy": council.FLOOD_STREET_CY,
        "river_cy": council.RIVER_CY, "cyfnod": rng.choice(CY_PERIODS),
    }
    slots["place"] = rng.choice(EN_PLACE_PATTERNS).format(**slots)
    day = rng.choice(CY_DAYS)
    slots["dydd"] = f"ddydd {day}"
    slots["ers_dydd"] = f"ers dydd {day}"
    slots["ar"] = rng.choice(
        council.WELSH_STREETS_AR + council.WELSH_LANDMARKS_GER if rng.random() < 0.3
        else council.WELSH_STREETS_AR)
    return slots


def _fit(parts: list[str], required: int, limit: int | None) -> str:
    """Join parts, dropping optional ones (all but ``required``) until the text fits."""
    parts = [p for p in parts if p]
    text = " ".join(parts)
    optional = [i for i, p in enumerate(parts) if i != required]
    while limit and len(text) > limit and optional:
        parts[optional.pop()] = ""
        text = " ".join(p for p in parts if p)
    return text[: limit - 1].rsplit(" ", 1)[0] + "…" if limit and len(text) > limit else text


def has_welsh(topic: str) -> bool:
    return topic in CY_PROBLEMS


def inbound(rng: random.Random, *, topic: str, language: str, platform: str, name: str,
            email: str, photo: bool = False) -> Composed:
    """Compose what a resident writes about ``topic``."""
    slots = _slots(rng, email)
    streetlike = topic in STREET_PROBLEMS or topic in STREETLIKE_SERVICES
    if language == "cy":
        opening, problem = rng.choice(CY_OPENINGS), rng.choice(CY_PROBLEMS[topic])
        detail = rng.choice(CY_STREET_DETAILS if streetlike else CY_SERVICE_DETAILS)
        closing = rng.choice(CY_CLOSINGS)
    else:
        opening, problem = rng.choice(EN_OPENINGS), rng.choice(EN_PROBLEMS[topic])
        generic: tuple[str, ...] = STREET_GENERIC_DETAILS if streetlike else SERVICE_GENERIC_DETAILS
        if topic in INCIDENT_TOPICS:
            generic = INCIDENT_DETAILS
        detail = rng.choice(tuple(STREET_DETAILS.get(topic, ())) + generic)
        closing = rng.choice(EN_CLOSINGS)
    if photo and rng.random() < 0.4:
        detail = f"{detail} {'Dyma lun.' if language == 'cy' else 'Photo attached.'}".strip()
    if opening and platform == "email" and opening[-1] not in ",.?!":
        opening = opening.rstrip(" -") + ","
    elif opening and opening[-1] not in ".?!":
        # Greetings run into the message the way people type them on a phone.
        opening = opening.rstrip(",-").rstrip() + rng.choice((".", "!", " -"))
    if platform == "email":
        if rng.random() < 0.5:
            opening = "Annwyl Syr neu Fadam," if language == "cy" else "Dear Sir or Madam,"
        body = " ".join(p for p in (problem.format(**slots), detail.format(**slots)) if p)
        text = "\n\n".join(p for p in (opening, body, f"{closing}\n{name}".strip()) if p)
    else:
        parts = [opening, problem.format(**slots), detail.format(**slots), closing]
        text = _fit(parts, 1, LENGTH_LIMITS.get(platform))
    text = roughen(rng, text, language)
    return Composed(text, slots["phone"] in text or email in text)


def reply(rng: random.Random, *, topic: str, team: str, language: str, platform: str,
          officer_first: str, resident_first: str, has_pii: bool) -> str:
    """Compose an officer's reply, signed with their first name."""
    ref = f"{council.REF_PREFIX.get(team, 'CS')}-{rng.randint(10000, 99999)}"
    fill = {"first": resident_first, "ref": ref, "site": council.WEBSITE}
    welsh = language == "cy"
    topical = (CY_TOPIC_REPLIES if welsh else EN_TOPIC_REPLIES).get(topic)
    acks: tuple[str, ...] = CY_ACKS if welsh else EN_ACKS
    if platform == "email":
        # An email opens with "Dear ...", so the acknowledgement need not name them again.
        acks = tuple(a for a in acks if "{first}" not in a)
    if topical and rng.random() < 0.8:
        body = rng.choice(topical)
        # Every topical answer starts with an acknowledgement, so that answers copied from the
        # same script during an incident do not read as identical posts.
        ack = rng.choice(acks) if "{first}" not in body else ""
        parts = [ack, body, ""]
    else:
        actions = (CY_TEAM_ACTION if welsh else EN_TEAM_ACTION).get(team)
        actions = actions or (CY_TEAM_ACTION if welsh else EN_TEAM_ACTION)["customer_services"]
        parts = [rng.choice(acks), rng.choice(actions), rng.choice(CY_NEXT if welsh else EN_NEXT)]
    if has_pii and platform in PUBLIC_PLATFORMS and not welsh:
        parts.append(PRIVACY_NOTE)
    signature = f"^{officer_first}"
    limit = LENGTH_LIMITS.get(platform)
    body = _fit([p.format(**fill) for p in parts], 1, limit - len(signature) - 1 if limit else None)
    if platform == "email":
        greeting = f"Annwyl {resident_first}," if welsh else f"Dear {resident_first},"
        sign_off = "Cofion" if welsh else "Kind regards"
        return f"{greeting}\n\n{body}\n\n{sign_off},\n{officer_first}\n{council.NAME}"
    return f"{body} {signature}"
