"""The Background work page: administrators see that the timetabled work is happening."""

from datetime import timedelta

from django.utils import timezone

from townhall.cli import main
from townhall.core.models import ScheduledTask

TASKS = "townhall.core.tests.scheduled"


def test_an_admin_sees_every_task_in_plain_words(client, dave) -> None:
    client.force_login(dave.user)
    response = client.get("/manage/background/")
    page = response.content.decode()
    assert response.status_code == 200
    for words in ("Email last month&#x27;s committee report", "On the 1st of each month at 07:00",
                  "Warn supervisors before response targets are missed", "Every 5 minutes",
                  "Check that each connected channel still works", "Every 6 hours"):
        assert words in page
    assert "Not run yet" in page and "When the timetable starts" in page
    assert 'href="/manage/background/" aria-current="page"' in page


def test_it_shows_when_each_task_ran_and_whether_it_worked_but_not_what_it_said(
        client, dave, settings, council, other_council) -> None:
    settings.CELERY_BEAT_SCHEDULE = {
        "retrain-triage-models": {"task": f"{TASKS}.count",
                                  "kwargs": {"label": "elsewhere: switched on"},
                                  "schedule": 7 * 86400},
        "email-committee-reports": {"task": f"{TASKS}.explode", "schedule": 60},
    }
    main(["schedule", "run", "retrain-triage-models"])
    main(["schedule", "run", "email-committee-reports"])
    main(["schedule", "run", "email-committee-reports"])
    ScheduledTask.objects.filter(name="retrain-triage-models").update(
        last_result="elsewhere: switched on the new model")
    client.force_login(dave.user)

    page = client.get("/manage/background/").content.decode()

    assert "Succeeded" in page and "Failed" in page and "2 times in a row" in page
    assert " today" in page
    for private in ("elsewhere", "RuntimeError", "postgres", "[hidden]"):
        assert private not in page


def test_a_run_in_progress_and_a_run_that_never_finished_are_told_apart(client, dave) -> None:
    now = timezone.now()
    main(["schedule", "run", "send-queued-replies"])
    ScheduledTask.objects.filter(name="send-queued-replies").update(
        last_outcome="running", lease_owner="web:1:abc", lease_until=now + timedelta(minutes=5))
    main(["schedule", "run", "open311-sweep"])
    ScheduledTask.objects.filter(name="open311-sweep").update(
        last_outcome="running", lease_owner="web:2:def", lease_until=now - timedelta(minutes=1))
    client.force_login(dave.user)
    page = client.get("/manage/background/").content.decode()
    assert "Running now" in page and "After this run" in page
    assert "Stopped before it finished" in page


def test_it_says_who_runs_the_work(client, dave, settings) -> None:
    client.force_login(dave.user)
    page = client.get("/manage/background/").content.decode()
    assert "The web server runs it, one task at a time." in page
    assert "This web process is not running the timetable" in page
    settings.TOWNHALL_SCHEDULER = False
    assert "none of it will happen" in client.get("/manage/background/").content.decode()
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert "Celery beat runs it" in client.get("/manage/background/").content.decode()


def test_only_admins_see_it_and_only_admins_are_shown_the_link(client, bob, alice, dave,
                                                               eve) -> None:
    for member in (alice, bob):
        client.force_login(member.user)
        assert client.get("/manage/background/").status_code == 403
    client.force_login(bob.user)
    assert "/manage/background/" not in client.get("/manage/").content.decode()
    client.force_login(dave.user)
    assert "/manage/background/" in client.get("/manage/").content.decode()
    # Another council's admin sees the same installation-wide timetable, and nothing of Afon.
    client.force_login(eve.user)
    page = client.get("/manage/background/").content.decode()
    assert "Afon" not in page
