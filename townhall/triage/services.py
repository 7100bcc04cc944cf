from typing import Any

from django.db import transaction
from django.utils.text import slugify

from townhall.core.models import Council
from townhall.core.services import audit_record
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


def _category_code(*, council: Council, name: str) -> str:
    base = slugify(name)[:50] or "category"
    code, n = base, 2
    while Category.objects.filter(council=council, code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def category_add(
    *,
    council: Council,
    name: str,
    group: str = "",
    description: str = "",
    examples: list[str] | None = None,
    self_service_url: str = "",
    by: Any,
    ip_address: str | None = None,
) -> Category:
    category = Category(
        council=council, code=_category_code(council=council, name=name), name=name,
        group=group, description=description, examples=list(examples or []),
        self_service_url=self_service_url,
    )
    category.full_clean()
    category.save()
    audit_record(council=council, actor=by, action="category.created", obj=category,
                 data={"name": name, "group": group}, ip_address=ip_address)
    return category


@transaction.atomic
def category_update(
    *,
    category: Category,
    name: str,
    group: str,
    description: str,
    examples: list[str],
    self_service_url: str,
    is_active: bool,
    by: Any,
    ip_address: str | None = None,
) -> Category:
    """Edit a category; the audit event names the fields that changed, from and to."""
    new = {"name": name, "group": group, "description": description,
           "examples": [e for e in (x.strip() for x in examples) if e],
           "self_service_url": self_service_url, "is_active": is_active}
    changes = {field: {"from": getattr(category, field), "to": value}
               for field, value in new.items() if getattr(category, field) != value}
    for field, value in new.items():
        setattr(category, field, value)
    category.full_clean()
    category.save()
    if changes:
        audit_record(council=category.council, actor=by, action="category.updated",
                     obj=category, data={"changes": changes}, ip_address=ip_address)
    return category
