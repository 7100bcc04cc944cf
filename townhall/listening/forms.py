"""Forms for the listening pages. They parse input; services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.listening.matching import parse_exclude_words
from townhall.listening.models import MatchKind


class KeywordRuleForm(forms.Form):
    phrase = forms.CharField(
        label=_("Word or phrase"), max_length=120,
        help_text=_("For example the council's name, a ward or a hashtag. Capitals and "
                    "accents do not matter."),
        error_messages={"required": _("Enter a word or phrase to listen for"),
                        "max_length": _("The phrase must be 120 characters or fewer")})
    kind = forms.ChoiceField(
        label=_("How it must appear"), choices=MatchKind.choices, initial=MatchKind.WORDS,
        widget=forms.RadioSelect, error_messages={"required": _("Choose how the phrase must "
                                                                "appear")})
    exclude_words = forms.CharField(
        label=_("Ignore posts that also mention"), required=False, widget=forms.Textarea,
        help_text=_("One a line, or separated by commas. For example a football club or a "
                    "business that shares the name."))
    is_active = forms.BooleanField(label=_("Listen for this rule"), required=False,
                                   initial=True)

    def clean_exclude_words(self) -> list[str]:
        return parse_exclude_words(self.cleaned_data["exclude_words"])


class FeedForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("How officers will know it, like Afoncaster Gazette."),
                           error_messages={"required": _("Enter a name for the feed")})
    url = forms.CharField(label=_("Feed address"), max_length=200,
                          help_text=_("The RSS or Atom address, often ending in /feed or "
                                      ".xml."),
                          error_messages={"required": _("Enter the feed's address")})


class SampleForm(forms.Form):
    sample = forms.CharField(label=_("Test your rules on some text"), required=False,
                             max_length=5000, widget=forms.Textarea,
                             help_text=_("Paste a headline or post to see which rules match."))
