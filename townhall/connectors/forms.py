"""The form an administrator fills in to connect a channel by hand, found per platform.

How a platform gets its form, first match wins:
1. its connector class has a `credentials_form` attribute (a form class, or the dotted
   path of one);
2. its connector package has a `forms` module with a `CredentialsForm` class
   (`townhall/connectors/<platform>/forms.py`);
3. otherwise a plain settings form, built from the connector's `credential_fields` if
   it declares them, or, failing that, two boxes of `name = value` lines.

Every such form subclasses `CredentialsForm` here: it knows which of its fields are
secrets, never shows a stored secret (only that one is set), and keeps a stored secret
when its box is left empty.
"""

import importlib
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from townhall.connectors.registry import connector_class


@dataclass(frozen=True)
class CredentialField:
    """One setting or secret a connector needs, for the form built from it."""

    name: str
    label: str
    secret: bool = False
    required: bool = True
    help_text: str = ""


class CredentialsForm(forms.Form):
    """Base for every platform's form. Subclasses list their secret fields' names in
    `secret_fields`; every other field is a plain setting."""

    secret_fields: tuple[str, ...] = ()
    # Shown above the form: what the administrator needs to have to hand.
    intro: Any = ""

    def __init__(self, *args: Any, settings: dict[str, Any] | None = None,
                 secrets_set: set[str] | frozenset[str] = frozenset(), **kwargs: Any) -> None:
        self.current_settings = dict(settings or {})
        self.secrets_set = set(secrets_set)
        initial = {name: self.current_settings[name] for name in self.base_fields
                   if name in self.current_settings and name not in self.secret_fields}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name in self.secret_fields:
            field = self.fields[name]
            # A secret box is never filled in, so the value never reaches a page.
            field.widget = forms.PasswordInput(render_value=False,
                                               attrs={"autocomplete": "off"})
            if name in self.secrets_set:
                field.required = False
                field.help_text = _("Set. Leave this empty to keep it, or enter a new one "
                                    "to replace it.")

    @property
    def never_shown(self) -> tuple[str, ...]:
        """Fields whose typed-in value is never put back into a page, even with errors."""
        return self.secret_fields

    def clean_settings(self) -> dict[str, Any]:
        """The settings to store (override to rename or derive values)."""
        return {name: value for name, value in self.cleaned_data.items()
                if name not in self.secret_fields}

    def clean_secrets(self) -> dict[str, str]:
        """New secret values only: an empty box keeps the stored one."""
        return {name: str(self.cleaned_data[name]) for name in self.secret_fields
                if self.cleaned_data.get(name)}

    def drop(self) -> tuple[str, ...]:
        """Names of stored settings or secrets the new details make wrong, to remove."""
        return ()

    def credentials(self) -> tuple[dict[str, Any], dict[str, str]]:
        """(settings, secrets) for `channel_credentials_replace`, once valid."""
        return self.clean_settings(), self.clean_secrets()


def form_from_fields(fields: tuple[CredentialField, ...], *,
                     base: type[CredentialsForm] = CredentialsForm) -> type[CredentialsForm]:
    """A CredentialsForm with one text box per declared setting or secret."""
    attrs: dict[str, Any] = {
        f.name: forms.CharField(label=f.label, required=f.required, help_text=f.help_text,
                                max_length=2000, strip=True)
        for f in fields}
    attrs["secret_fields"] = tuple(f.name for f in fields if f.secret)
    return type("GeneratedCredentialsForm", (base,), attrs)


def _pairs(text: str, what: Any) -> dict[str, str]:
    values = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not name or not name.replace("_", "").isalnum():
            raise forms.ValidationError(
                _("Line %(n)s of %(what)s is not in the form name = value.")
                % {"n": number, "what": what})
        values[name] = value.strip()
    return values


class SettingsForm(CredentialsForm):
    """For a connector that declares nothing: its settings and secrets as name = value
    lines, named as its module's documentation names them."""

    settings_text = forms.CharField(
        label=_("Settings"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, as name = value. These are not secret and are shown "
                    "here again."))
    secrets_text = forms.CharField(
        label=_("Secrets"), required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_("One per line, as name = value. Townhall stores them encrypted and "
                    "never shows them again. A name you leave out keeps its stored value."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["settings_text"] = "\n".join(
                f"{k} = {v}" for k, v in sorted(self.current_settings.items())
                if isinstance(v, str | int | float | bool))
        if self.secrets_set:
            self.fields["secrets_text"].help_text = _(
                "Set now: %(names)s. One per line, as name = value, to replace or add; "
                "a name you leave out keeps its stored value.") % {
                "names": ", ".join(sorted(self.secrets_set))}

    @property
    def never_shown(self) -> tuple[str, ...]:
        return ("secrets_text",)

    def clean_settings(self) -> dict[str, Any]:
        return _pairs(self.cleaned_data.get("settings_text", ""), _("the settings"))

    def clean_secrets(self) -> dict[str, str]:
        return _pairs(self.cleaned_data.get("secrets_text", ""), _("the secrets"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, method in (("settings_text", self.clean_settings),
                             ("secrets_text", self.clean_secrets)):
            try:
                method()
            except forms.ValidationError as error:
                self.add_error(name, error)
        return data


def credentials_form_for(platform: str) -> type[CredentialsForm]:
    """The form for a platform, found as the module docstring describes."""
    cls = connector_class(platform)
    declared = getattr(cls, "credentials_form", None)
    if isinstance(declared, str):
        declared = import_string(declared)
    if isinstance(declared, type) and issubclass(declared, forms.Form):
        return _as_credentials_form(declared)
    package = cls.__module__.rpartition(".")[0]
    try:
        module = importlib.import_module(f"{package}.forms")
    except ModuleNotFoundError as error:
        if error.name != f"{package}.forms":
            raise
        module = None
    found = getattr(module, "CredentialsForm", None) if module is not None else None
    if isinstance(found, type) and issubclass(found, forms.Form):
        return _as_credentials_form(found)
    fields = getattr(cls, "credential_fields", None)
    if fields:
        return form_from_fields(tuple(fields))
    return SettingsForm


def _as_credentials_form(form: type[forms.Form]) -> type[CredentialsForm]:
    """Accept a plain Django form too: its fields are then all settings."""
    if issubclass(form, CredentialsForm):
        return form
    return type(form.__name__, (CredentialsForm, form), {})
