"""Forms for the admin pages. They parse and validate input; services make the change."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from townhall.accounts.models import Membership, Role, Team
from townhall.connectors.models import Platform
from townhall.core.models import Council


def _team_choices(council: Council) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Teams"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Team.objects.filter(council=council).order_by("name"),
        help_text=_("Select all that apply. Officers see their teams' conversations."),
    )


class InviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150,
                                 error_messages={"required": _("Enter their first name")})
    last_name = forms.CharField(label=_("Last name"), max_length=150,
                                error_messages={"required": _("Enter their last name")})
    email = forms.EmailField(label=_("Email address"), required=False,
                             error_messages={"invalid": _("Enter an email address in the "
                                                          "correct format, like name@example.com")})
    username = forms.RegexField(
        label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$",
        help_text=_("They will use this to sign in. Letters, digits and . @ + - _ only."),
        error_messages={"required": _("Enter a username"),
                        "invalid": _("Username must only include letters, digits and . @ + - _")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.OFFICER,
                             widget=forms.RadioSelect,
                             error_messages={"required": _("Select a role")})

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"] = _team_choices(council)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("That username is already taken. Choose another."))
        return username


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Select a role")})


class MemberTeamsForm(forms.Form):
    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"] = _team_choices(council)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120,
                           error_messages={"required": _("Enter a team name")})


class _MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.get_full_name() or obj.user.get_username())


class TeamMembersForm(forms.Form):
    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = _MemberChoiceField(
            label=_("Members"), required=False, widget=forms.CheckboxSelectMultiple,
            queryset=Membership.objects.filter(council=council).select_related("user")
            .order_by("user__first_name", "user__last_name", "user__username"),
        )
        self.fields["members"] = field


class ChannelForm(forms.Form):
    # Townhall makes the Open311 reports channel itself when the first report arrives.
    platform = forms.ChoiceField(label=_("Platform"),
                                 choices=[c for c in Platform.choices if c[0] != Platform.OPEN311],
                                 error_messages={"required": _("Select a platform")})
    handle = forms.CharField(
        label=_("Account name on the platform"), max_length=200,
        help_text=_("For example, @afoncouncil or the page name."),
        error_messages={"required": _("Enter the account name on the platform")},
    )
    name = forms.CharField(label=_("Display name (optional)"), max_length=200, required=False)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120,
                           error_messages={"required": _("Enter a name for the category")})
    group = forms.CharField(label=_("Group"), max_length=120, required=False,
                            help_text=_("Categories are listed under their group, for example "
                                        "Street problems."))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea,
                                  help_text=_("What belongs here, in a sentence or two."))
    examples = forms.CharField(
        label=_("Example messages"), required=False, widget=forms.Textarea,
        help_text=_("One per line. Triage learns what this category looks like from these."),
    )
    self_service_url = forms.URLField(
        label=_("Self-service web address"), required=False, assume_scheme="https",
        help_text=_("The council's online form or page for this, if it has one."),
        error_messages={"invalid": _("Enter a full web address, like "
                                     "https://www.example.gov.uk/report")},
    )
    is_active = forms.BooleanField(
        label=_("In use"), required=False, initial=True,
        help_text=_("Clear this to stop triage suggesting the category. Nothing is deleted."),
    )

    def clean_examples(self) -> list[str]:
        text: str = self.cleaned_data["examples"]
        return [line.strip() for line in text.splitlines() if line.strip()]


class AuditFilterForm(forms.Form):
    def __init__(self, *args: Any, actions: list[str], people: list[tuple[int, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"] = forms.ChoiceField(
            label=_("Action"), required=False,
            choices=[("", _("All actions"))] + [(a, a) for a in actions],
        )
        self.fields["user"] = forms.ChoiceField(
            label=_("Person"), required=False,
            choices=[("", _("Everyone"))] + [(str(pk), label) for pk, label in people],
        )
