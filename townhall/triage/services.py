from django.db import transaction

from townhall.core.models import Council
from townhall.triage.models import Category
from townhall.triage.nlp.taxonomy import CATEGORIES, STREET

GROUP_NAMES = {STREET: "Street problems"}


@transaction.atomic
def taxonomy_install(*, council: Council) -> list[Category]:
    """Give a council the built-in taxonomy, which its admins can then edit."""
    return [
        Category.objects.get_or_create(
            council=council, code=spec.code,
            defaults={"name": spec.name, "group": GROUP_NAMES.get(spec.group, "Council services"),
                      "description": spec.description, "examples": list(spec.examples)},
        )[0]
        for spec in CATEGORIES
    ]
