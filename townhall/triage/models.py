"""The council's own taxonomy of service categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core.models import Council


class Priority(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


# Sorting by this puts the most urgent first.
PRIORITY_RANK = {Priority.CRITICAL: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class Category(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    group = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    examples = models.JSONField(default=list, blank=True)
    self_service_url = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="category_code_unique")
        ]

    def __str__(self) -> str:
        return self.name
