import pytest

from townhall.connectors.credentials import ConnectorConfig, secrets_decrypt, secrets_encrypt
from townhall.connectors.errors import NotConfigured
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.services import channel_create, channel_credentials_set
from townhall.core.models import AuditEvent


def test_it_reads_a_secret_from_the_named_environment_variable(monkeypatch) -> None:
    monkeypatch.setenv("TOWNHALL_FACEBOOK_APP_SECRET", "from-env")
    config = ConnectorConfig(settings={"app_secret_env": "TOWNHALL_FACEBOOK_APP_SECRET"},
                             stored_secrets={"app_secret": "stored"})
    assert config.secret("app_secret", "app secret") == "from-env"


def test_it_names_the_missing_environment_variable(monkeypatch) -> None:
    monkeypatch.delenv("TOWNHALL_FACEBOOK_APP_SECRET", raising=False)
    config = ConnectorConfig(settings={"app_secret_env": "TOWNHALL_FACEBOOK_APP_SECRET"})
    with pytest.raises(NotConfigured, match="set the environment variable "
                                            "TOWNHALL_FACEBOOK_APP_SECRET"):
        config.secret("app_secret", "app secret")


def test_it_falls_back_to_the_encrypted_store() -> None:
    config = ConnectorConfig(stored_secrets={"app_secret": "stored"})
    assert config.secret("app_secret", "app secret") == "stored"
    assert "stored" not in repr(config)


def test_it_stores_secrets_encrypted_and_audits_only_their_names(council) -> None:
    channel, _ = channel_create(council=council, platform="facebook", handle="afoncouncil")
    channel_credentials_set(channel=channel, settings={"page_id": "1"},
                            secrets={"page_access_token": "EAAB-very-secret"})
    stored = ChannelCredentials.objects.get(channel=channel)
    assert "EAAB" not in stored.secrets_encrypted
    assert secrets_decrypt(stored.secrets_encrypted) == {"page_access_token": "EAAB-very-secret"}
    event = AuditEvent.objects.get(action="channel.credentials_set")
    assert event.data == {"settings": ["page_id"], "secrets": ["page_access_token"]}


def test_an_empty_store_round_trips() -> None:
    assert secrets_decrypt(secrets_encrypt({})) == {}
