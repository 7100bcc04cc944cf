"""Each platform's connect form and sign-in are found by convention, so a new connector
package (email, web chat, feeds) gets a form without touching the admin pages."""

from typing import Any

import pytest
from django import forms

from townhall.connectors.bluesky.connector import BlueskyConnector
from townhall.connectors.forms import CredentialField, SettingsForm, credentials_form_for
from townhall.connectors.login import PendingLogin, login_flow_for
from townhall.connectors.mastodon.login import MastodonLogin
from townhall.connectors.registry import CONNECTORS


class Declared(BlueskyConnector):
    """A connector that lists what it needs instead of shipping a forms module."""

    platform = "declared"
    credential_fields = (CredentialField("host", "Mail server"),
                         CredentialField("password", "Password", secret=True))


class Plain(BlueskyConnector):
    platform = "plain"


class HostForm(forms.Form):
    host = forms.CharField(label="Server")


class WithAttribute(BlueskyConnector):
    platform = "attribute"
    credentials_form = f"{__name__}.HostForm"


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    for cls in (Declared, Plain, WithAttribute):
        monkeypatch.setitem(CONNECTORS, cls.platform, f"{__name__}.{cls.__name__}")


def test_a_connector_package_with_a_forms_module_supplies_its_form() -> None:
    from townhall.connectors.bluesky.forms import CredentialsForm

    assert credentials_form_for("bluesky") is CredentialsForm


def test_a_form_named_on_the_connector_class_wins(registered: None) -> None:
    form = credentials_form_for("attribute")(data={"host": "imap.example.gov.uk"})
    assert form.is_valid()
    assert form.credentials() == ({"host": "imap.example.gov.uk"}, {})


def test_declared_fields_become_a_form_whose_secrets_are_kept_when_left_empty(
        registered: None) -> None:
    form_class = credentials_form_for("declared")
    blank = form_class(data={"host": "imap.example.gov.uk"}, settings={"host": "old"},
                       secrets_set={"password"})
    assert blank.is_valid(), blank.errors
    assert blank.credentials() == ({"host": "imap.example.gov.uk"}, {})
    rendered = str(form_class(settings={"host": "old"}, secrets_set={"password"}))
    assert 'type="password"' in rendered and "Leave this empty to keep it" in rendered
    first = form_class(data={"host": "imap.example.gov.uk"})
    assert not first.is_valid() and "password" in first.errors


def test_a_connector_that_declares_nothing_gets_a_plain_settings_form(registered: None) -> None:
    assert credentials_form_for("plain") is SettingsForm
    form = SettingsForm(data={"settings_text": "feed_url = https://example.gov.uk/feed\n",
                              "secrets_text": "api_key = abc123"})
    assert form.is_valid(), form.errors
    assert form.credentials() == ({"feed_url": "https://example.gov.uk/feed"},
                                  {"api_key": "abc123"})
    broken = SettingsForm(data={"settings_text": "just words"})
    assert not broken.is_valid()
    assert "is not in the form name = value" in str(broken.errors["settings_text"])


def test_sign_in_is_found_only_where_a_package_offers_one() -> None:
    assert isinstance(login_flow_for("mastodon"), MastodonLogin)
    assert login_flow_for("bluesky") is None


def test_a_pending_sign_in_is_sealed_and_expires() -> None:
    pending = PendingLogin(platform="x", channel_id=1, council_id=2, user_id=3)
    sealed = pending.seal()
    assert pending.state not in sealed
    again = PendingLogin.unseal(sealed)
    assert again is not None and again.state_matches(pending.state)
    assert not again.state_matches(pending.state + "x")
    assert not again.expired() and again.expired(now=again.started + 16 * 60)
    assert PendingLogin.unseal("not a sealed value") is None


def test_the_plain_settings_form_never_writes_secrets_back(registered: None) -> None:
    form: Any = SettingsForm(data={"secrets_text": "api_key = abc123", "settings_text": "x"})
    assert not form.is_valid()
    assert "secrets_text" in form.never_shown
