"""The test servers themselves: skipped or required, started and stopped cleanly."""

import pytest
from _pytest.outcomes import Failed, Skipped

from townhall.connectors.email.tests import conftest, servers
from townhall.connectors.email.tests.mailboxes import read_folder


def test_missing_servers_skip_with_the_packages_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(servers, "BINARIES", {"/nonexistent/dovecot": "dovecot-core"})
    monkeypatch.setattr(conftest, "missing_binaries", servers.missing_binaries)
    monkeypatch.delenv("TOWNHALL_REQUIRE_MAIL", raising=False)
    with pytest.raises(Skipped, match="missing: /nonexistent/dovecot .*apt-get install -y "
                                      "dovecot-imapd dovecot-lmtpd exim4-daemon-light"):
        conftest.require_mail_binaries()


def test_missing_servers_fail_when_ci_requires_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(servers, "BINARIES", {"/nonexistent/exim4": "exim4-daemon-light"})
    monkeypatch.setattr(conftest, "missing_binaries", servers.missing_binaries)
    monkeypatch.setenv("TOWNHALL_REQUIRE_MAIL", "1")
    with pytest.raises(Failed, match="exim4-daemon-light"):
        conftest.require_mail_binaries()


def test_a_second_pair_of_servers_runs_beside_the_first_and_leaves_nothing(
        mail_servers: servers.MailServers) -> None:
    # As a second xdist worker, or a second run of the suite, would start them.
    other = servers.start_mail_servers()
    processes = list(other.processes)
    try:
        assert set(vars(other.ports).values()).isdisjoint(vars(mail_servers.ports).values())
        account = other.add_account()
        other.store([b"From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n"], to=account.address)
        assert len(read_folder(other, account.address, account.password)) == 1
        assert read_folder(mail_servers, account.address, mail_servers.password) == []
    finally:
        servers.stop_mail_servers(other)
    assert all(process.poll() is not None for process in processes)
    assert not other.root.exists()
    assert not servers._listening(other.ports.imap)
