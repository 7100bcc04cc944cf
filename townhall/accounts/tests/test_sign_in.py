import pytest
from django.contrib.auth import get_user_model

from townhall.accounts.models import Membership
from townhall.accounts.services import SignInOutcome, sign_in_attempt
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
    assert "Too many attempts to sign in" in response.content.decode()
    assert "Wait 15 minutes" in response.content.decode()
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
