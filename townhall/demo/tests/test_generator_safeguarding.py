"""Safeguarding messages reach the duty officer at once, day or night."""

from __future__ import annotations

import datetime as dt

import pytest

from townhall.demo.generator import DemoCouncil, generate
from townhall.demo.generator.council import SAFEGUARDING_DUTY, SAFEGUARDING_OUT_OF_HOURS


@pytest.fixture(scope="module")
def demo() -> DemoCouncil:
    return generate(end=dt.date(2026, 3, 1))


def test_it_has_between_five_and_ten_safeguarding_cases(demo: DemoCouncil) -> None:
    cases = [c for c in demo.conversations if c.safeguarding]
    assert 5 <= len(cases) <= 10


def test_it_answers_every_safeguarding_case_within_an_hour(demo: DemoCouncil) -> None:
    for case in (c for c in demo.conversations if c.safeguarding):
        first_in = case.messages[0]
        first_out = next(m for m in case.messages if m.direction == "out")
        assert first_out.created_at - first_in.created_at <= dt.timedelta(hours=1)
        assert first_out.officer_username in (SAFEGUARDING_DUTY, SAFEGUARDING_OUT_OF_HOURS)
        assert first_out.language == first_in.language


def test_it_marks_safeguarding_cases_critical_and_assigns_them(demo: DemoCouncil) -> None:
    for case in (c for c in demo.conversations if c.safeguarding):
        assert case.priority == "critical"
        assert case.team_code == "safeguarding"
        assert case.assignee_username in (SAFEGUARDING_DUTY, SAFEGUARDING_OUT_OF_HOURS)
    others = [c for c in demo.conversations if not c.safeguarding]
    assert all(c.priority != "critical" for c in others)


def test_it_never_answers_safeguarding_with_a_form_link(demo: DemoCouncil) -> None:
    for case in (c for c in demo.conversations if c.safeguarding):
        for message in case.messages:
            if message.direction == "out":
                assert "http" not in message.text


def test_it_includes_one_welsh_safeguarding_case(demo: DemoCouncil) -> None:
    assert any(c.safeguarding and c.messages[0].language == "cy" for c in demo.conversations)
