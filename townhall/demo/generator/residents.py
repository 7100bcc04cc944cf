"""Fictional residents: names, platform handles and how often each one gets in touch."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .model import DemoResident

EN_FIRST = (
    "Sarah", "James", "Emma", "David", "Claire", "Paul", "Lisa", "Mark", "Karen", "Steve",
    "Jo", "Gary", "Helen", "Dean", "Nicola", "Craig", "Amy", "Lee", "Rachel", "Wayne",
    "Sophie", "Tom", "Chloe", "Jack", "Hannah", "Ryan", "Laura", "Adam", "Kelly", "Matt",
    "Jenny", "Phil", "Zoe", "Carl", "Becky", "Mike", "Tracey", "Simon", "Leanne", "Andy",
    "Olivia", "Harry", "Grace", "Oliver", "Margaret", "Brian", "Sandra", "Keith", "Pauline",
    "Aisha", "Imran", "Tomasz", "Agnieszka", "Priya", "Kofi", "Mei", "Daniel", "Fatima",
)
EN_LAST = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes",
    "Edwards", "Green", "Hall", "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke",
    "Clark", "Turner", "Hill", "Scott", "Cooper", "Morris", "Ward", "Moore", "King", "Baker",
    "Harrison", "Morgan", "Patel", "Young", "Allen", "Mitchell", "Bell", "Kowalski", "Khan",
    "Mensah", "Chen", "Hussain", "Price", "Powell", "Bennett", "Griffiths",
)
CY_FIRST = (
    "Siân", "Rhys", "Gwen", "Dafydd", "Catrin", "Iwan", "Mererid", "Gethin", "Angharad",
    "Llŷr", "Nia", "Owain", "Elen", "Huw", "Lowri", "Aled", "Heledd", "Gruffudd", "Menna",
    "Emyr", "Carys", "Dylan", "Ffion", "Ioan", "Bethan", "Rhodri", "Eirlys", "Gwilym", "Non",
    "Tegwen", "Osian", "Manon", "Meinir", "Cai", "Elis",
)
CY_LAST = (
    "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan",
    "Griffiths", "Owen", "Price", "Jenkins", "Lloyd", "Rees", "Pritchard", "Parry", "Powell",
    "Bowen", "Vaughan", "ap Gwyn", "Rhys", "Prosser", "Bevan", "Watkins", "Llywelyn",
)

# Shares of residents by the platform they mostly use, from the order of magnitude councils
# report: Facebook dominates, email and web chat carry the service requests.
PLATFORM_SHARE: dict[str, float] = {
    "facebook": 0.31, "email": 0.20, "x": 0.13, "webchat": 0.12, "instagram": 0.07,
    "nextdoor": 0.08, "bluesky": 0.05, "mastodon": 0.04,
}
SECOND_PLATFORM = {"facebook": "email", "x": "email", "instagram": "facebook",
                   "nextdoor": "facebook", "webchat": "email", "email": "facebook",
                   "bluesky": "x", "mastodon": "email"}
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "post.example")
MASTODON_HOSTS = ("social.example", "toot.example", "mastodon.cymru.example")


@dataclass
class Person:
    """A resident plus the private traits that shape what they write."""

    key: str
    first: str
    last: str
    welsh: bool
    weight: float
    identities: list[tuple[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    def public(self) -> DemoResident:
        return DemoResident(self.key, self.name, list(self.identities))


def ascii_fold(text: str) -> str:
    table = str.maketrans("âêîôûŵŷÂÊÎÔÛŴŶ", "aeiouwyAEIOUWY")
    return text.translate(table).replace("'", "").replace(" ", "")


def _handle(rng: random.Random, platform: str, first: str, last: str, n: int) -> str:
    f, la = ascii_fold(first).lower(), ascii_fold(last).lower()
    year = rng.randint(60, 99) if rng.random() < 0.5 else rng.randint(1, 30)
    styles = [f"{f}{la}", f"{f}_{la}{year}", f"{f}{la[:1]}{year}", f"{la}{f[:1]}", f"{f}.{la}"]
    base = rng.choice(styles)
    if platform == "facebook":
        return str(100000000000000 + n * 7919 + rng.randint(0, 7000))
    if platform == "nextdoor":
        return str(40000000 + n * 131 + rng.randint(0, 100))
    if platform == "email":
        return f"{base.replace('_', '.')}{n}@{rng.choice(EMAIL_DOMAINS)}"
    if platform == "mastodon":
        return f"{base.replace('.', '_')}{n}@{rng.choice(MASTODON_HOSTS)}"
    if platform == "bluesky":
        return f"{base.replace('_', '-').replace('.', '-')}{n}.bsky.social"
    if platform == "webchat":
        return f"visitor-{n:05d}-{rng.randrange(16**6):06x}"
    if platform == "x":
        # X handles are at most 15 characters; the number keeps them unique.
        return base.replace(".", "_")[: 15 - len(str(n))] + str(n)
    return f"{base}{n}"


def make_people(rng: random.Random, count: int, welsh_share: float) -> list[Person]:
    """Make residents; ``weight`` is heavy-tailed so that a few people get in touch often."""
    people = []
    platforms = list(PLATFORM_SHARE)
    shares = list(PLATFORM_SHARE.values())
    for n in range(count):
        welsh = rng.random() < welsh_share
        if welsh and rng.random() < 0.85:
            first, last = rng.choice(CY_FIRST), rng.choice(CY_LAST)
        else:
            first = rng.choice(EN_FIRST + CY_FIRST[:8])
            last = rng.choice(EN_LAST + CY_LAST[:10])
        person = Person(f"r{n:05d}", first, last, welsh, min(rng.paretovariate(1.3), 25.0))
        primary = rng.choices(platforms, shares)[0]
        person.identities.append((primary, _handle(rng, primary, first, last, n)))
        if rng.random() < 0.12:
            second = SECOND_PLATFORM[primary]
            person.identities.append((second, _handle(rng, second, first, last, n)))
        people.append(person)
    return people
