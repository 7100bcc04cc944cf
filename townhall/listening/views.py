"""Listening: keyword rules and the feeds they are matched against. Admins only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.accounts.permissions import admin_required, client_ip
from townhall.connectors.errors import ConnectorError
from townhall.listening import services
from townhall.listening.forms import FeedForm, KeywordRuleForm, SampleForm
from townhall.listening.matching import matches
from townhall.listening.selectors import (
    feed_get,
    feeds_for_council,
    keyword_rule_get,
    keyword_rules_for_council,
)


def _form_error(form: KeywordRuleForm | FeedForm, error: ValidationError, field: str) -> None:
    for message in error.messages:
        form.add_error(field, message)


@admin_required
def index(request: HttpRequest) -> HttpResponse:
    rules = list(keyword_rules_for_council(council=request.council))  # type: ignore[attr-defined]
    sample = SampleForm(request.GET or None)
    matched = None
    if sample.is_valid() and sample.cleaned_data["sample"]:
        matched = matches([r for r in rules if r.is_active], sample.cleaned_data["sample"])
    return render(request, "listening/index.html", {
        "rules": rules, "feeds": feeds_for_council(council=request.council),  # type: ignore[attr-defined]
        "sample": sample, "matched": matched})


def _rule_data(form: KeywordRuleForm) -> dict[str, object]:
    data = form.cleaned_data
    return {"phrase": data["phrase"], "kind": data["kind"],
            "exclude_words": data["exclude_words"]}


@admin_required
def rule_add(request: HttpRequest) -> HttpResponse:
    form = KeywordRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.keyword_rule_create(council=request.council, by=request.user,  # type: ignore[attr-defined]
                                         ip_address=client_ip(request), **_rule_data(form))  # type: ignore[arg-type]
        except ValidationError as error:
            _form_error(form, error, "phrase")
        else:
            messages.success(request, _("Keyword rule added."))
            return redirect("listening:index")
    return render(request, "listening/rule_form.html", {"form": form, "rule": None})


@admin_required
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = keyword_rule_get(council=request.council, rule_id=rule_id)  # type: ignore[attr-defined]
    initial = {"phrase": rule.phrase, "kind": rule.kind,
               "exclude_words": "\n".join(rule.exclude_words), "is_active": rule.is_active}
    form = KeywordRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.keyword_rule_update(rule=rule, is_active=form.cleaned_data["is_active"],
                                         by=request.user, ip_address=client_ip(request),
                                         **_rule_data(form))  # type: ignore[arg-type]
        except ValidationError as error:
            _form_error(form, error, "phrase")
        else:
            messages.success(request, _("Keyword rule saved."))
            return redirect("listening:index")
    return render(request, "listening/rule_form.html", {"form": form, "rule": rule})


@admin_required
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = keyword_rule_get(council=request.council, rule_id=rule_id)  # type: ignore[attr-defined]
    if request.method == "POST":
        services.keyword_rule_delete(rule=rule, by=request.user, ip_address=client_ip(request))
        messages.success(request, _("Keyword rule deleted. Mentions it found stay in the "
                                    "inbox."))
        return redirect("listening:index")
    return render(request, "listening/rule_delete.html", {"rule": rule})


@admin_required
def feed_add(request: HttpRequest) -> HttpResponse:
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feed_add(council=request.council, by=request.user,  # type: ignore[attr-defined]
                              ip_address=client_ip(request), **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error, "url")
        else:
            messages.success(request, _("Feed added. Townhall reads it every 10 minutes."))
            return redirect("listening:index")
    return render(request, "listening/feed_form.html", {"form": form})


@admin_required
@require_POST
def feed_check(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = feed_get(council=request.council, channel_id=channel_id)  # type: ignore[attr-defined]
    try:
        result = services.feed_check(channel=channel, by=request.user,
                                     ip_address=client_ip(request))
    except ConnectorError as error:
        messages.error(request, _("Townhall could not read %(feed)s: %(error)s")
                       % {"feed": channel, "error": error})
    else:
        messages.success(request, _("Read %(feed)s: %(n)d new mentions.")
                         % {"feed": channel, "n": result.created})
    return redirect("listening:index")
