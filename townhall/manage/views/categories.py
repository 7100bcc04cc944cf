"""The council's taxonomy of categories, as triage uses it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from townhall.accounts.permissions import admin_required, client_ip
from townhall.manage.forms import CategoryForm
from townhall.triage.selectors import categories_for_council, category_get
from townhall.triage.services import category_add, category_update


@admin_required
def category_list(request: HttpRequest) -> HttpResponse:
    return render(request, "manage/category_list.html",
                  {"categories": categories_for_council(council=request.council)})  # type: ignore[attr-defined]


@admin_required
def category_add_view(request: HttpRequest) -> HttpResponse:
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("is_active")
        category_add(council=request.council, by=request.user,  # type: ignore[attr-defined]
                     ip_address=client_ip(request), **data)
        messages.success(request, _("Category added."))
        return redirect("manage:categories")
    return render(request, "manage/category_form.html", {"form": form, "category": None})


@admin_required
def category_edit(request: HttpRequest, category_id: int) -> HttpResponse:
    category = category_get(council=request.council, category_id=category_id)  # type: ignore[attr-defined]
    initial = {"name": category.name, "group": category.group,
               "description": category.description, "examples": "\n".join(category.examples),
               "self_service_url": category.self_service_url, "is_active": category.is_active}
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        category_update(category=category, by=request.user, ip_address=client_ip(request),
                        **form.cleaned_data)
        messages.success(request, _("Category saved."))
        return redirect("manage:categories")
    return render(request, "manage/category_form.html", {"form": form, "category": category})
