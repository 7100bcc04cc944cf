from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from townhall.accounts.models import Membership
from townhall.accounts.services import (
    SignInOutcome,
    sign_in_attempt,
    user_create,
    user_password_reset,
)
from townhall.accounts.throttle import login_failure_record, login_lock
from townhall.conftest import PASSWORD
from townhall.core.models import AuditEvent


def _post(client, username: str, password: str, ip: str = "192.0.2.10"):
    return client.post("/login/", {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def test_it_signs_in_and_audits_it(client, council, alice) -> None:
    response = _post(client, "alice", PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.get(council=council, action="auth.signed_in")
    assert event.actor == alice.user
    assert event.ip_address == "192.0.2.10"


def test_it_audits_a_failure_without_the_password(client, council, alice) -> None:
    response = _post(client, "alice", "wrong password here")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    event = AuditEvent.objects.get(council=council, action="auth.sign_in_failed")
    assert event.data == {"username": "alice", "reason": "bad_credentials"}
    assert "wrong password here" not in str(event.data)


def test_it_refuses_a_deactivated_user(client, council, alice) -> None:
    get_user_model().objects.filter(pk=alice.user_id).update(is_active=False)
    response = _post(client, "alice", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(council=council, action="auth.sign_in_failed")
    assert event.data["reason"] == "inactive_account"


def test_it_refuses_the_sixth_attempt_for_a_username_and_says_so(client, council, alice) -> None:
    for n in range(5):
        _post(client, "alice", f"guess {n}", ip=f"192.0.2.{n + 1}")
    response = _post(client, "alice", PASSWORD, ip="198.51.100.7")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many attempts to sign in" in text
    assert "too many failed attempts to sign in with this username" in text
    assert "You can try again at" in text and "in 15 minutes." in text
    assert 890 <= int(response["Retry-After"]) <= 900
    assert "_auth_user_id" not in client.session
    failures = AuditEvent.objects.filter(action="auth.sign_in_failed").order_by("id")
    assert failures.count() == 5 and failures.last().data["locked"] is True


def test_it_refuses_an_address_after_twenty_failures(client, alice, bob) -> None:
    for n in range(20):
        _post(client, f"nobody{n}", "guess", ip="203.0.113.9")
    result = sign_in_attempt(username="bob", password=PASSWORD, ip_address="203.0.113.9")
    assert result.outcome == SignInOutcome.LOCKED
    elsewhere = sign_in_attempt(username="bob", password=PASSWORD, ip_address="203.0.113.10")
    assert elsewhere.outcome == SignInOutcome.SIGNED_IN


def test_it_forgets_failures_after_a_correct_sign_in(alice) -> None:
    for _ in range(4):
        sign_in_attempt(username="alice", password="nope", ip_address="192.0.2.1")
    assert sign_in_attempt(username="alice", password=PASSWORD,
                           ip_address="192.0.2.1").outcome == SignInOutcome.SIGNED_IN
    assert sign_in_attempt(username="alice", password="nope",
                           ip_address="192.0.2.1").outcome == SignInOutcome.FAILED


def test_it_shows_a_plain_page_to_someone_with_no_council(client, db) -> None:
    get_user_model().objects.create_user(username="orphan", password=PASSWORD)
    response = _post(client, "orphan", PASSWORD)
    assert response.status_code == 403
    assert "not linked to a council" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_audits_sign_out(client, council, alice) -> None:
    client.force_login(alice.user)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(council=council, action="auth.signed_out",
                                     actor=alice.user).exists()
    assert "_auth_user_id" not in client.session


def test_it_does_not_follow_a_next_link_to_another_site(client, alice) -> None:
    response = client.post("/login/?next=https://evil.example/", {
        "username": "alice", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_it_makes_someone_with_a_one_time_password_choose_their_own(client, alice) -> None:
    Membership.objects.filter(pk=alice.pk).update(must_change_password=True)
    client.force_login(alice.user)
    assert client.get("/manage/")["Location"] == "/account/password/"
    response = client.post("/account/password/", {"new_password": "a new long secret",
                                                   "confirm_password": "a new long secret"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.must_change_password
    assert AuditEvent.objects.filter(action="auth.password_changed").exists()


@pytest.mark.parametrize("path", ["/login/", "/logout/"])
def test_its_sign_in_pages_render(client, db, path) -> None:
    assert client.get(path).status_code == 200


def test_the_lockout_says_when_to_try_again_in_london_time(client, alice) -> None:
    for n in range(5):
        response = _post(client, "alice", f"guess {n}")
    lock = login_lock(username="alice", ip_address=None)
    assert lock is not None and lock.kind == "user"
    at = timezone.localtime(lock.until).strftime("%H:%M")
    assert f"You can try again at {at}, in 15 minutes." in response.content.decode()


def test_a_paused_network_is_told_it_is_the_network(client, alice, bob) -> None:
    for n in range(20):
        _post(client, f"nobody{n}", "guess", ip="203.0.113.9")
    response = _post(client, "bob", PASSWORD, ip="203.0.113.9")
    assert response.status_code == 429
    text = response.content.decode()
    assert "too many failed attempts to sign in from your network" in text
    assert "even with the right password" in text


def test_the_pause_is_kept_by_the_database_not_one_process(alice) -> None:
    # Web processes each have their own local cache, and a restart empties it: the
    # pause must hold whichever process answers.
    for n in range(5):
        sign_in_attempt(username="alice", password=f"guess {n}", ip_address="192.0.2.1")
    cache.clear()
    assert sign_in_attempt(username="alice", password=PASSWORD,
                           ip_address="192.0.2.2").outcome == SignInOutcome.LOCKED


def test_the_pause_ends_and_counting_starts_again(alice) -> None:
    start = timezone.now()
    for _ in range(4):
        assert login_failure_record(username="alice", ip_address=None, now=start) is None
    lock = login_failure_record(username="alice", ip_address=None, now=start)
    assert lock is not None and lock.until == start + timedelta(minutes=15)
    after = start + timedelta(minutes=15, seconds=1)
    assert login_lock(username="alice", ip_address=None, now=after) is None
    # One more failure after the pause is the first of a new count, not a new pause.
    assert login_failure_record(username="alice", ip_address=None, now=after) is None
    assert login_lock(username="ALICE ", ip_address=None, now=after) is None


def test_a_new_password_from_an_administrator_works_at_once(alice, dave) -> None:
    # The lockout page says to ask an administrator for a new password.
    for n in range(5):
        sign_in_attempt(username="alice", password=f"guess {n}", ip_address="192.0.2.1")
    password = user_password_reset(membership=alice, by=dave.user)
    assert sign_in_attempt(username="alice", password=password,
                           ip_address="192.0.2.1").outcome == SignInOutcome.SIGNED_IN
    # And so does one set at the command line (townhall createuser, townhall demo).
    for n in range(5):
        sign_in_attempt(username="alice", password=f"guess {n}", ip_address="192.0.2.1")
    user_create(council=alice.council, username="alice", password="a brand new secret")
    assert sign_in_attempt(username="alice", password="a brand new secret",
                           ip_address="192.0.2.1").outcome == SignInOutcome.SIGNED_IN


def _demo(password: str) -> str:
    from townhall.demo.loader import demo_load

    out = StringIO()
    assert demo_load(password=password, seed=2026, end="2026-11-26", out=out) == 0
    return out.getvalue()


@pytest.fixture
def demo_council(db):
    """The demo council as a first run of `townhall demo` left it: its users only (the
    messages are not needed to sign in)."""
    from townhall.accounts.models import Role
    from townhall.accounts.services import team_create
    from townhall.core.services import council_create
    from townhall.demo.generator import council as spec

    council = council_create(slug="afoncaster", name="Afoncaster County Borough Council")
    teams = {t.code: team_create(council=council, code=t.code, name=t.name) for t in spec.TEAMS}
    for officer in spec.OFFICERS:
        user_create(council=council, username=officer.username, password="the first password",
                    role=Role(officer.role), first_name=officer.first_name,
                    last_name=officer.last_name, teams=[teams[officer.team_code]])
    return council


def test_running_the_demo_again_prints_logins_that_work(demo_council) -> None:
    # Someone tried the first run's password after a second run changed it, five times.
    for _ in range(5):
        sign_in_attempt(username="supervisor", password="the first password!",
                        ip_address="127.0.0.1")
    supervisor = Membership.objects.get(user__username="supervisor")
    Membership.objects.filter(pk=supervisor.pk).update(must_change_password=True)
    get_user_model().objects.filter(username="admin").update(is_active=False)
    printed = _demo("the second password")
    assert "already loaded" in printed
    assert "supervisor can sign in again: no longer paused after too many failed sign-ins; " \
           "no longer asked to replace a one-time password." in printed
    assert "admin can sign in again: reactivated." in printed
    assert "with the password: the second password" in printed
    assert "  supervisor  Priya Shah, supervisor, Customer Services" in printed
    for username in ("officer", "supervisor", "admin"):
        result = sign_in_attempt(username=username, password="the second password",
                                 ip_address="127.0.0.1")
        assert result.outcome == SignInOutcome.SIGNED_IN, username
        assert result.membership.council == demo_council
    assert AuditEvent.objects.filter(action="user.restored").count() == 2
    # A third run with no password makes a new one and prints it; nothing to fix now.
    printed = _demo("")
    password = printed.split("with the password: ")[1].split("\n")[0]
    assert password and "can sign in again" not in printed
    assert sign_in_attempt(username="supervisor", password=password,
                           ip_address="127.0.0.1").outcome == SignInOutcome.SIGNED_IN
