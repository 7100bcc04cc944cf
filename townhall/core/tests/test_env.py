import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, secret_key


def test_it_fails_loudly_on_a_bad_boolean(monkeypatch) -> None:
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG")


def test_it_fails_loudly_on_a_bad_number(monkeypatch) -> None:
    monkeypatch.setenv("TOWNHALL_MAX_BODY_BYTES", "1MB")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("TOWNHALL_MAX_BODY_BYTES", 10)


def test_it_keeps_a_generated_secret_key_between_starts(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_it_refuses_a_short_secret_key(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="at least 32"):
        secret_key(tmp_path)
