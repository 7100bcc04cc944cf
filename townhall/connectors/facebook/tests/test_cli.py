from townhall.connectors.cli import cmd_check
from townhall.connectors.facebook.tests.conftest import APP_SECRET


class Args:
    def __init__(self, channel: str) -> None:
        self.channel = channel


def test_check_prints_plain_words_for_a_working_channel(facebook_channel, capsys) -> None:
    assert cmd_check(Args(facebook_channel.key)) == 0
    out = capsys.readouterr().out
    assert "Credentials: good." in out and "Reachable: yes." in out
    assert APP_SECRET not in out and "EAAB" not in out


def test_check_finds_a_channel_by_id(facebook_channel, capsys) -> None:
    assert cmd_check(Args(str(facebook_channel.pk))) == 0


def test_check_says_when_the_app_secret_is_missing(facebook_channel, capsys,
                                                   monkeypatch) -> None:
    monkeypatch.delenv("TOWNHALL_TEST_FACEBOOK_APP_SECRET")
    assert cmd_check(Args(facebook_channel.key)) == 1
    out = capsys.readouterr().out
    assert "TOWNHALL_TEST_FACEBOOK_APP_SECRET" in out
    assert "Credentials: not good." in out


def test_check_explains_an_unknown_channel(db, capsys) -> None:
    assert cmd_check(Args("nope")) == 2
    assert "No channel has the id or key 'nope'" in capsys.readouterr().out
