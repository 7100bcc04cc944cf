"""Sign in, sign out and choose a password. Decisions live in accounts.services."""

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from townhall.accounts.forms import LoginForm, PasswordForm
from townhall.accounts.permissions import client_ip
from townhall.accounts.services import (
    SignInOutcome,
    password_set_own,
    sign_in_attempt,
    sign_out_record,
)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and getattr(request, "membership", None):
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    status, lock = 200, None
    if request.method == "POST" and form.is_valid():
        result = sign_in_attempt(username=form.cleaned_data["username"],
                                 password=form.cleaned_data["password"],
                                 ip_address=client_ip(request))
        if result.outcome == SignInOutcome.SIGNED_IN:
            login(request, result.user)  # type: ignore[arg-type]
            return redirect(_next_url(request))
        if result.outcome == SignInOutcome.NO_MEMBERSHIP:
            return render(request, "accounts/no_membership.html", status=403)
        if result.outcome == SignInOutcome.LOCKED:
            status, lock = 429, result.lock
        else:
            form.add_error(None, _("Enter a correct username and password. Both are "
                                   "case-sensitive."))
    response = render(request, "accounts/login.html",
                      {"form": form, "locked": lock is not None, "lock": lock,
                       "next": _next_url(request)}, status=status)
    if lock is not None:
        response["Retry-After"] = str(lock.seconds_left())
    return response


@never_cache
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "accounts/logout.html")
    membership = getattr(request, "membership", None)
    if membership is not None:
        sign_out_record(membership=membership, ip_address=client_ip(request))
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("login")


@sensitive_post_parameters("new_password", "confirm_password")
@login_required
@never_cache
def password(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    form = PasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        password_set_own(membership=membership, password=form.cleaned_data["new_password"],
                         ip_address=client_ip(request))
        update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
        messages.success(request, _("Your password has been changed."))
        return redirect("/")
    return render(request, "accounts/password.html",
                  {"form": form, "required": membership.must_change_password})
