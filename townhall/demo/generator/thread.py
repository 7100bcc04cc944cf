"""Write one conversation: the resident's message, any chaser, the reply and what follows."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from . import council, texts
from .ids import Ids
from .model import DemoConversation, DemoMessage, Officer
from .noise import roughen
from .replies import (
    CY_SECOND_STILL,
    CY_SECOND_THANKS,
    EN_SECOND_STILL,
    EN_SECOND_THANKS,
    chaser,
    follow_up,
)
from .residents import Person, ascii_fold
from .safeguarding import SafeguardingCase
from .timing import LONDON, Staffing
from .welsh import CY_CHASE_ENDINGS, CY_CHASERS, CY_FOLLOW_UP_EXTRAS, CY_STILL, CY_THANKS

# How often a first message gets a reply, by platform. Public comments often need none.
REPLY_RATE = {"email": 0.9, "webchat": 0.88, "facebook": 0.58, "x": 0.55, "instagram": 0.45,
              "nextdoor": 0.5, "mastodon": 0.6, "bluesky": 0.55}
PHOTO_TOPICS = ("pothole", "flytipping", "graffiti_flyposting", "flood_incident", "dog_fouling",
                "storm_tree", "litter", "leaf_drains", "blocked_drain", "damp_mould",
                "dead_animal", "vehicles_parking", "park_litter", "broken_glass", "gritting")
CHANNEL_BY_PLATFORM = {c.platform: c for c in reversed(council.CHANNELS)}
CHANNEL_BY_HANDLE = {(c.platform, c.handle): c for c in council.CHANNELS}


@dataclass(frozen=True)
class Plan:
    at: dt.datetime
    category: str
    topic: str
    priority: str


class ThreadWriter:
    def __init__(self, rng: random.Random, staffing: Staffing, end_bound: dt.datetime,
                 holidays: set[dt.date], ids: Ids) -> None:
        self.rng, self.staffing, self.end_bound = rng, staffing, end_bound
        self.holidays, self.ids = holidays, ids
        self.officers = [o for o in council.OFFICERS if o.team_code not in
                         ("safeguarding", "digital")]

    def _message(self, platform: str, direction: str, text: str, at: dt.datetime, author: str,
                 author_name: str, **extra: object) -> DemoMessage:
        pmid = self.ids.message(platform, author)
        return DemoMessage(pmid, direction, text, at, author, author_name, **extra)  # type: ignore[arg-type]

    def _officer(self, *, team: str, language: str, platform: str, at: dt.datetime,
                 category: str) -> Officer:
        rng, local = self.rng, at.astimezone(LONDON).date()
        quiet = local.weekday() >= 5 or local in self.holidays
        by_team = {t: [o for o in self.officers if o.team_code == t] for t in
                   ("customer_services", "communications", team)}
        roll = rng.random()
        if quiet:
            pool = by_team["communications"] + by_team["customer_services"]
        elif category == "compliments" or (roll > 0.85 and platform in texts.PUBLIC_PLATFORMS):
            pool = by_team["communications"]
        elif roll < 0.5 or not by_team[team]:
            pool = by_team["customer_services"]
        else:
            pool = by_team[team]
        if language == "cy":
            pool = [o for o in pool if o.username in council.WELSH_SPEAKERS] or [
                o for o in by_team["customer_services"] if o.username in council.WELSH_SPEAKERS]
        weights = [3.0 if o.username == "officer" else 0.6 if o.role == "supervisor" else 2.0
                   for o in pool]
        return rng.choices(pool, weights)[0]

    def _status(self, messages: list[DemoMessage], answered: bool) -> str:
        age = (self.end_bound - messages[-1].created_at).days
        roll = self.rng.random()
        if messages[-1].direction == "in" and age <= 14:
            return "open"
        if not answered:
            return "closed" if age > 14 and roll < 0.85 else "open"
        if age > 14:
            return "closed" if roll < 0.94 else "pending" if roll < 0.98 else "open"
        if age > 3:
            return "closed" if roll < 0.55 else "pending" if roll < 0.9 else "open"
        return "closed" if roll < 0.2 else "pending" if roll < 0.7 else "open"

    def write(self, plan: Plan, person: Person) -> DemoConversation:
        rng = self.rng
        platform, handle = person.identities[0]
        if len(person.identities) > 1 and rng.random() < 0.3:
            platform, handle = person.identities[1]
        language = "cy" if person.welsh and texts.has_welsh(plan.topic) and rng.random() < 0.85 \
            else "en"
        channel = CHANNEL_BY_PLATFORM[platform]
        if language == "cy" and platform in council.WELSH_CHANNEL and rng.random() < 0.7:
            channel = CHANNEL_BY_HANDLE[(platform, council.WELSH_CHANNEL[platform])]
        email = dict(person.identities).get("email") or \
            f"{ascii_fold(person.first)}.{ascii_fold(person.last)}@example.com".lower()
        attachments = []
        if platform == "instagram" or (plan.topic in PHOTO_TOPICS and rng.random() < 0.25):
            alt = "" if rng.random() < 0.85 else f"Photo taken on {rng.choice(council.STREETS)}"
            attachments.append({"type": "image",
                                "url": f"https://example.invalid/p/{rng.randrange(10**7)}.jpg",
                                "alt": alt})
        composed = texts.inbound(rng, topic=plan.topic, language=language, platform=platform,
                                 name=person.name, email=email, photo=bool(attachments))
        first = self._message(platform, "in", composed.text, plan.at, handle, person.name,
                              attachments=attachments, language=language)
        messages = [first]
        team = council.CATEGORY_TEAM[plan.category]
        rate = REPLY_RATE[platform] * (0.7 if plan.category == "compliments" else 1.0)
        answered = rng.random() < rate
        reply_at = self.staffing.first_reply(rng, plan.at, priority=plan.priority,
                                             platform=platform) if answered else None
        if reply_at is not None and reply_at > self.end_bound:
            answered, reply_at = False, None
        self._chase(messages, plan, reply_at, language, platform, handle, person)
        officer = None
        if reply_at is not None:
            officer = self._officer(team=team, language=language, platform=platform, at=reply_at,
                                    category=plan.category)
            self._reply(messages, officer, plan, language, platform, channel.handle, person,
                        composed.has_pii, reply_at)
            self._follow_up(messages, officer, plan, language, platform, channel.handle, person,
                            handle, reply_at)
        status = self._status(messages, answered)
        assign_team: str | None = team
        if officer is None and (self.end_bound - plan.at).days <= 14 and rng.random() < 0.5:
            assign_team = None
        return DemoConversation(
            platform, channel.handle, self.ids.thread(platform, first.platform_message_id),
            person.key, plan.category, plan.priority, False, status,  # type: ignore[arg-type]
            assign_team, officer.username if officer else None, messages)

    def _chase(self, messages: list[DemoMessage], plan: Plan, reply_at: dt.datetime | None,
               language: str, platform: str, handle: str, person: Person) -> None:
        """Some residents who wait long, or forever, write again before anyone answers."""
        rng = self.rng
        slow = reply_at is None or (reply_at - plan.at) > dt.timedelta(hours=20)
        if not slow or rng.random() >= 0.22:
            return
        gap = (reply_at - plan.at) * rng.uniform(0.3, 0.8) if reply_at else \
            dt.timedelta(hours=rng.uniform(4, 72))
        if plan.at + gap > self.end_bound:
            return
        if language == "cy":
            text = rng.choice(("", "", "Helo? ", "Sori i'ch poeni. ")) + rng.choice(CY_CHASERS) \
                + rng.choice(CY_CHASE_ENDINGS)
        else:
            text = roughen(rng, chaser(rng, gap.days), "en", angry=False)
        messages.append(self._message(
            platform, "in", text, plan.at + gap, handle, person.name,
            in_reply_to=messages[0].platform_message_id, language=language))

    def _reply(self, messages: list[DemoMessage], officer: Officer, plan: Plan, language: str,
               platform: str, channel: str, person: Person, has_pii: bool,
               at: dt.datetime) -> None:
        text = texts.reply(self.rng, topic=plan.topic, team=officer_team(officer, plan),
                           language=language, platform=platform, officer_first=officer.first_name,
                           resident_first=person.first, has_pii=has_pii)
        inbound = [m for m in messages if m.direction == "in"][-1]
        messages.append(self._message(
            platform, "out", text, at, channel, CHANNEL_BY_HANDLE[(platform, channel)].name,
            officer_username=officer.username, in_reply_to=inbound.platform_message_id,
            language=language))

    def _follow_up(self, messages: list[DemoMessage], officer: Officer, plan: Plan,
                   language: str, platform: str, channel: str, person: Person, handle: str,
                   reply_at: dt.datetime) -> None:
        rng = self.rng
        if rng.random() >= 0.3:
            return
        at = reply_at + dt.timedelta(minutes=rng.lognormvariate(math.log(120), 1.0))
        if at > self.end_bound:
            return
        ref = f"{council.REF_PREFIX.get(council.CATEGORY_TEAM[plan.category], 'CS')}-" \
              f"{rng.randint(10000, 99999)}"
        happy = rng.random() < 0.6
        if language == "cy":
            text = rng.choice(CY_THANKS if happy else CY_STILL) + rng.choice(CY_FOLLOW_UP_EXTRAS)
            text = text.format(officer=officer.first_name)
        else:
            text = roughen(rng, follow_up(rng, officer.first_name, ref, happy), "en", angry=False)
        reply = messages[-1]
        messages.append(self._message(platform, "in", text, at, handle, person.name,
                                      in_reply_to=reply.platform_message_id, language=language))
        if rng.random() >= (0.35 if happy else 0.75):
            return
        second_at = self.staffing.first_reply(rng, at, priority=plan.priority, platform=platform)
        if second_at > self.end_bound:
            return
        welsh = language == "cy"
        options = (CY_SECOND_THANKS if welsh else EN_SECOND_THANKS) if happy else (
            CY_SECOND_STILL if welsh else EN_SECOND_STILL)
        second = rng.choice(options)
        text = f"{second.format(first=person.first, ref=ref)} ^{officer.first_name}"
        messages.append(self._message(
            platform, "out", text, second_at, channel, CHANNEL_BY_HANDLE[(platform, channel)].name,
            officer_username=officer.username, in_reply_to=messages[-1].platform_message_id,
            language=language))

    def safeguarding(self, case: SafeguardingCase, at: dt.datetime,
                     person: Person) -> DemoConversation:
        """A safeguarding message, answered by the duty officer within the hour, day or night."""
        rng = self.rng
        platform, handle = person.identities[0]
        channel = CHANNEL_BY_PLATFORM[platform]
        in_hours = self.staffing.is_staffed(at)
        duty = council.SAFEGUARDING_DUTY if in_hours or case.language == "cy" else \
            council.SAFEGUARDING_OUT_OF_HOURS
        officer = next(o for o in council.OFFICERS if o.username == duty)
        first = self._message(platform, "in", case.text, at, handle, person.name,
                              language=case.language)
        reply_at = at + dt.timedelta(minutes=rng.uniform(3, 35))
        reply = self._message(
            platform, "out", case.reply.format(first=officer.first_name), reply_at,
            channel.handle, channel.name, officer_username=duty,
            in_reply_to=first.platform_message_id, language=case.language)
        messages = [first, reply]
        if case.follow_up:
            follow_at = reply_at + dt.timedelta(minutes=rng.uniform(2, 9))
            messages.append(self._message(platform, "in", case.follow_up, follow_at, handle,
                                          person.name, in_reply_to=reply.platform_message_id,
                                          language=case.language))
            messages.append(self._message(
                platform, "out", f"Thank you. I'm here, and we'll take this one step at a time. "
                f"^{officer.first_name}", follow_at + dt.timedelta(minutes=rng.uniform(1, 4)),
                channel.handle, channel.name, officer_username=duty,
                in_reply_to=messages[-1].platform_message_id, language=case.language))
        age = (self.end_bound - at).days
        return DemoConversation(
            platform, channel.handle, self.ids.thread(platform, first.platform_message_id),
            person.key, case.category, "critical", True, "closed" if age > 7 else "pending",
            "safeguarding", duty, messages)


def officer_team(officer: Officer, plan: Plan) -> str:
    """The team whose words the reply uses: the specialist's own, or the category's owner."""
    if officer.team_code in ("customer_services", "communications"):
        return council.CATEGORY_TEAM[plan.category] if plan.category != "compliments" else \
            "communications"
    return officer.team_code
