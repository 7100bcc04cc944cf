"""Messages about one incident share an id; others do not."""

from townhall.triage.nlp.pipeline import Triager


def _run(messages: list[tuple[str, str, str]]) -> list[str | None]:
    triager = Triager()
    return [r.incident for r in triager.triage_many(
        [{"id": i, "text": t, "created_at": at} for i, t, at in messages])]


def test_it_groups_reports_of_one_burst_main_within_an_hour() -> None:
    ids = _run([
        ("1", "Burst water main on Station Road, water everywhere", "2026-01-05T08:00:00Z"),
        ("2", "Water main burst on Station Road flooding the street", "2026-01-05T08:20:00Z"),
        ("3", "Station Road is flooded, burst main", "2026-01-05T08:45:00Z"),
    ])
    assert ids[1] is not None and ids[1] == ids[2]


def test_it_tells_the_earlier_singleton_which_incident_it_joined() -> None:
    triager = Triager()
    first, second = triager.triage_many([
        {"id": "a", "text": "Burst water main on Station Road", "created_at": "2026-01-05T08:00:00Z"},
        {"id": "b", "text": "burst water main Station Road again", "created_at": "2026-01-05T08:05:00Z"},
    ])
    assert first.incident is None and second.incident is not None
    assert second.incident_joined == ["a"]


def test_it_keeps_unrelated_messages_apart() -> None:
    ids = _run([
        ("1", "Burst water main on Station Road", "2026-01-05T08:00:00Z"),
        ("2", "Graffiti on the library wall in Park Lane", "2026-01-05T08:10:00Z"),
        ("3", "Dead fox outside the school on Elm Grove", "2026-01-05T08:15:00Z"),
    ])
    assert ids == [None, None, None]


def test_it_does_not_group_the_same_problem_days_apart() -> None:
    ids = _run([
        ("1", "Burst water main on Station Road", "2026-01-05T08:00:00Z"),
        ("2", "Burst water main on Station Road", "2026-01-09T08:00:00Z"),
    ])
    assert ids == [None, None]
