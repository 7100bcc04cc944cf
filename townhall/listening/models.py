"""Keyword rules: what public posts about the council look like."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core.models import Council
from townhall.listening import matching


class MatchKind(models.TextChoices):
    WORDS = matching.WORDS, _("Whole words only")
    PHRASE = matching.PHRASE, _("Anywhere in the text, even inside a longer word")
    HASHTAG = matching.HASHTAG, _("Hashtag")


class KeywordRule(models.Model):
    """One phrase to listen for. Matching ignores case and accents (listening/matching.py)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="keyword_rules")
    phrase = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=MatchKind.choices, default=MatchKind.WORDS)
    # A post that also contains any of these (as whole words) is not a match.
    exclude_words = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["phrase", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "phrase", "kind"],
                                    name="keyword_rule_unique_per_council")
        ]

    def __str__(self) -> str:
        return matching.describe(self)
