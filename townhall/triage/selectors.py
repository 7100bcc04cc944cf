from django.db.models import QuerySet
from django.http import Http404

from townhall.core.models import Council
from townhall.triage.models import Category


def categories_for_council(*, council: Council) -> QuerySet[Category]:
    """The council's taxonomy in display order: by group, then by name."""
    return Category.objects.filter(council=council).order_by("group", "name")


def category_get(*, council: Council, category_id: int) -> Category:
    category = Category.objects.select_related("council").filter(
        council=council, pk=category_id
    ).first()
    if category is None:
        raise Http404("No such category in this council.")
    return category
