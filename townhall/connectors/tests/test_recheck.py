"""The scheduled re-check: a channel that stops working is noticed, and its admins told once."""

import logging

import pytest
from django.core import mail

from townhall.cli import main
from townhall.connectors.fake import Scripted
from townhall.connectors.health import channels_recheck_all
from townhall.connectors.mastodon.tests.fake_mastodon import ACCOUNT_ID, TOKEN, FakeMastodon
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.services import (
    channel_check,
    channel_create,
    channel_credentials_set,
    channel_set_active,
)
from townhall.core.models import AuditEvent

TOKEN_ENV = "TOWNHALL_TEST_RECHECK_TOKEN"
REVOKED = "mastodon-token-the-council-revoked"


@pytest.fixture
def mastodon():
    fake = FakeMastodon()
    yield fake
    fake.close()


@pytest.fixture
def channel(council, mastodon, monkeypatch, dave, alice, eve):
    for member, address in ((dave, "dave@afon.example"), (alice, "alice@afon.example"),
                            (eve, "eve@elsewhere.example")):
        member.user.email = address
        member.user.save(update_fields=["email"])
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    made, _ = channel_create(council=council, platform="mastodon", handle="afoncouncil")
    channel_credentials_set(channel=made, settings={
        "instance_url": mastodon.base_url, "account_id": ACCOUNT_ID, "timeout": 5,
        "access_token_env": TOKEN_ENV})
    return made


@pytest.fixture
def recheck(django_capture_on_commit_callbacks):
    def run() -> str:
        with django_capture_on_commit_callbacks(execute=True):
            outcomes = channels_recheck_all()
        return " / ".join(outcomes.values())
    return run


def revoke(monkeypatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, REVOKED)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_a_channel_that_stops_working_emails_its_admins_once(channel, recheck,
                                                            monkeypatch) -> None:
    assert recheck() == "working"
    assert mail.outbox == []

    revoke(monkeypatch)
    assert recheck() == "stopped working"
    assert recheck() == "still not working"
    assert recheck() == "still not working"

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["dave@afon.example"]
    assert email.subject == "Mastodon afoncouncil has stopped working in Townhall"
    assert "Mastodon refused the request (HTTP 401)" in email.body
    assert f"/manage/channels/{channel.pk}/connect/" in email.body
    [event] = events("channel.stopped_working")
    assert event.council_id == channel.council_id and event.actor_label == "channel check"
    assert "HTTP 401" in event.data["problem"]


def test_a_channel_that_works_again_clears_its_problem_and_can_warn_again(
        channel, recheck, monkeypatch) -> None:
    recheck()
    revoke(monkeypatch)
    recheck()
    monkeypatch.setenv(TOKEN_ENV, TOKEN)

    assert recheck() == "working again"

    check = ChannelCredentials.objects.get(channel=channel).last_check
    assert check["credentials_ok"] and check["reachable"]
    assert "not_working_since" not in check and "problem" not in check
    assert len(events("channel.working_again")) == 1
    revoke(monkeypatch)
    assert recheck() == "stopped working"
    assert len(mail.outbox) == 2


def test_a_channel_checked_broken_the_first_time_is_emailed_about(channel, recheck,
                                                                 monkeypatch) -> None:
    revoke(monkeypatch)
    assert recheck() == "stopped working"
    assert len(mail.outbox) == 1


def test_a_check_by_hand_sends_no_email_but_the_next_scheduled_one_tells_the_others(
        channel, dave, recheck, monkeypatch, django_capture_on_commit_callbacks) -> None:
    recheck()
    revoke(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        result = channel_check(channel=channel, by=dave.user)
    assert not result.ok
    assert mail.outbox == []
    [event] = events("channel.stopped_working")
    assert event.actor_id == dave.user.pk

    assert recheck() == "still not working"
    assert recheck() == "still not working"
    assert len(mail.outbox) == 1
    assert len(events("channel.stopped_working")) == 1


def test_secrets_a_platform_echoes_never_reach_the_email_the_audit_or_the_log(
        channel, recheck, mastodon, monkeypatch, caplog) -> None:
    revoke(monkeypatch)
    mastodon.script("GET", r"/api/v1/accounts/verify_credentials", Scripted(
        status=401, body={"error": f"The access token {REVOKED} was revoked"}))

    with caplog.at_level(logging.DEBUG):
        recheck()

    [email] = mail.outbox
    assert "The access token [hidden] was revoked" in email.body
    stored = ChannelCredentials.objects.get(channel=channel).last_check
    audited = events("channel.stopped_working")[0].data
    for text in (email.body, email.subject, str(stored), str(audited), caplog.text):
        assert REVOKED not in text and TOKEN not in text


def test_an_email_that_could_not_be_sent_is_tried_at_the_next_check(
        channel, recheck, monkeypatch, caplog) -> None:
    revoke(monkeypatch)

    def smtp_down(**kwargs):
        raise OSError("Connection refused by smtp.internal")

    monkeypatch.setattr("townhall.connectors.health.send_mail", smtp_down)
    recheck()
    assert "Could not email the administrators about channel" in caplog.text
    assert "alerted_at" not in ChannelCredentials.objects.get(channel=channel).last_check
    monkeypatch.undo()
    revoke(monkeypatch)

    assert recheck() == "still not working"
    assert len(mail.outbox) == 1
    assert recheck() == "still not working"
    assert len(mail.outbox) == 1


def test_deactivated_and_unconnected_channels_are_not_checked(channel, council, dave,
                                                              recheck) -> None:
    channel_create(council=council, platform="bluesky", handle="afon.example")
    channel_set_active(channel=channel, is_active=False, by=dave.user)
    assert channels_recheck_all() == {}


def test_the_scheduled_task_runs_the_recheck(channel, monkeypatch, capsys,
                                             django_capture_on_commit_callbacks) -> None:
    revoke(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["schedule", "run", "recheck-channels"]) == 0
    assert f'"{channel.pk}": "stopped working"' in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_channels_page_says_when_it_was_checked_and_what_is_wrong(
        client, channel, dave, eve, recheck, monkeypatch) -> None:
    client.force_login(dave.user)
    page = client.get("/manage/channels/").content.decode()
    assert "Not checked yet" in page
    recheck()
    page = client.get("/manage/channels/").content.decode()
    assert "Last checked " in page and " today: working." in page

    revoke(monkeypatch)
    recheck()
    for path in ("/manage/channels/", f"/manage/channels/{channel.pk}/"):
        page = client.get(path).content.decode()
        assert ">Not working</strong> since " in page
        assert "today: Mastodon could not be reached: Mastodon refused the request (HTTP 401)" \
            in page
        assert f'href="/manage/channels/{channel.pk}/connect/">Reconnect or check again' in page

    client.force_login(eve.user)
    assert "afoncouncil" not in client.get("/manage/channels/").content.decode()
    assert client.get(f"/manage/channels/{channel.pk}/").status_code == 404
