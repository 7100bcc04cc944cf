from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    """Only parses the fields; the sign-in service decides what they are worth."""

    username = forms.CharField(
        label=_("Username"), max_length=150, strip=True,
        error_messages={"required": _("Enter your username")},
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput,
        error_messages={"required": _("Enter your password")},
    )


class PasswordForm(forms.Form):
    """Choosing a password of your own, to replace a one-time password."""

    new_password = forms.CharField(
        label=_("New password"), strip=False, widget=forms.PasswordInput,
        help_text=_("Use at least 10 characters. A few unrelated words work well."),
        error_messages={"required": _("Enter a new password")},
    )
    confirm_password = forms.CharField(
        label=_("Confirm new password"), strip=False, widget=forms.PasswordInput,
        error_messages={"required": _("Enter the new password again")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_password(self) -> str:
        password = self.cleaned_data["new_password"]
        password_validation.validate_password(password, self.user)
        if self.user.check_password(password):
            raise forms.ValidationError(_("Choose a password different from your current one"))
        return password

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        new, confirm = cleaned.get("new_password"), cleaned.get("confirm_password")
        if new and confirm and new != confirm:
            self.add_error("confirm_password", _("The passwords do not match"))
        return cleaned
