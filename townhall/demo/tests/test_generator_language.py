"""Residents write like residents, in English and in Welsh, and are answered in kind."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from townhall.demo.generator import DemoCouncil, generate, texts
from townhall.demo.generator.council import WELSH_SPEAKERS
from townhall.demo.generator.seasons import CATEGORY_WEIGHTS, events, topic_weights
from townhall.demo.generator.welsh import CY_PROBLEMS

END = dt.date(2026, 3, 1)
LIMITS = {"x": 280, "bluesky": 300, "mastodon": 500}


@pytest.fixture(scope="module")
def demo() -> DemoCouncil:
    return generate(end=END)


def _inbound(demo: DemoCouncil) -> list:
    return [m for c in demo.conversations for m in c.messages if m.direction == "in"]


@pytest.mark.parametrize("seed", [2026, 1, 99])
def test_it_writes_at_least_three_percent_of_inbound_messages_in_welsh(seed: int) -> None:
    inbound = _inbound(generate(end=END, seed=seed))
    share = sum(m.language == "cy" for m in inbound) / len(inbound)
    assert 0.03 <= share <= 0.09


def test_it_answers_welsh_in_welsh_from_welsh_speaking_officers(demo: DemoCouncil) -> None:
    answered = 0
    for conversation in demo.conversations:
        if conversation.messages[0].language != "cy" or conversation.safeguarding:
            continue
        for message in conversation.messages:
            assert message.language == "cy"
            if message.direction == "out":
                answered += 1
                assert message.officer_username in WELSH_SPEAKERS
    assert answered > 100


def test_it_keeps_exact_duplicate_texts_under_five_percent(demo: DemoCouncil) -> None:
    texts_seen = Counter(m.text for c in demo.conversations for m in c.messages)
    total = sum(texts_seen.values())
    repeats = total - len(texts_seen)
    assert repeats / total <= 0.05
    # A stricter reading, counting every copy of a repeated text, also stays under 5%.
    assert sum(n for n in texts_seen.values() if n > 1) / total <= 0.05


def test_it_keeps_posts_within_each_platform_limit(demo: DemoCouncil) -> None:
    for conversation in demo.conversations:
        limit = LIMITS.get(conversation.platform)
        if limit:
            assert all(len(m.text) <= limit for m in conversation.messages)


def test_it_only_uses_reserved_phone_numbers_and_domains_in_text(demo: DemoCouncil) -> None:
    all_text = "\n".join(m.text for c in demo.conversations for m in c.messages)
    phones = re.findall(r"\b07\d{3} ?\d{6}\b", all_text)
    assert phones, "some messages should carry a phone number as a personal data example"
    assert all(p.replace(" ", "").startswith("07700900") for p in phones)
    reserved = (".example", "example.com", "example.org", "example.net")
    for domain in re.findall(r"@([\w.-]+)", all_text):
        assert domain.rstrip(".").lower().endswith(reserved)
    for url in re.findall(r"https?://[^\s)]+", all_text):
        assert ".example" in url.lower()


def test_it_writes_postcodes_in_the_uk_format_on_a_fictional_area(demo: DemoCouncil) -> None:
    all_text = " ".join(m.text for c in demo.conversations for m in c.messages)
    postcodes = re.findall(r"\b[A-Za-z]{2}\d{1,2} \d[A-Za-z]{2}\b", all_text)
    assert len(postcodes) > 50
    assert all(p.upper().startswith("AC") for p in postcodes)


def test_it_varies_the_way_residents_write(demo: DemoCouncil) -> None:
    inbound = [m.text for m in _inbound(demo) if m.language == "en"]
    lowercase = sum(t == t.lower() for t in inbound) / len(inbound)
    emoji = sum(any(ord(ch) > 0x1F000 for ch in t) for t in inbound) / len(inbound)
    shouting = sum("!!!" in t for t in inbound)
    assert 0.1 < lowercase < 0.4
    assert 0.05 < emoji < 0.3
    assert shouting > 20


def test_it_has_a_template_for_every_topic_it_can_plan() -> None:
    topics = {t for code in CATEGORY_WEIGHTS for month in range(1, 13)
              for t, w in topic_weights(code, month).items() if w > 0}
    topics |= {e.topic for e in events(END)}
    assert topics <= set(texts.EN_PROBLEMS)
    assert set(CY_PROBLEMS) <= set(texts.EN_PROBLEMS)


def test_it_fills_every_slot_in_every_template() -> None:
    import random

    rng = random.Random(0)
    for topic in texts.EN_PROBLEMS:
        for language in ("en", "cy") if texts.has_welsh(topic) else ("en",):
            for _ in range(20):
                composed = texts.inbound(rng, topic=topic, language=language,
                                         platform="email", name="Sam Test",
                                         email="sam@example.com")
                assert "{" not in composed.text and "}" not in composed.text
