"""People: list, invite, role, teams, password reset, deactivate. Supervisors may look."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from townhall.accounts.actions import ChangeRole, DeactivateUser, ReactivateUser
from townhall.accounts.permissions import admin_required, client_ip, supervisor_required
from townhall.accounts.selectors import membership_get, memberships_for_council
from townhall.accounts.services import membership_set_teams, user_invite, user_password_reset
from townhall.manage.forms import InviteForm, MemberTeamsForm, RoleForm


@supervisor_required
def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "manage/user_list.html",
                  {"members": memberships_for_council(council=request.council)})  # type: ignore[attr-defined]


@supervisor_required
def user_detail(request: HttpRequest, membership_id: int) -> HttpResponse:
    member = membership_get(council=request.council, membership_id=membership_id)  # type: ignore[attr-defined]
    return render(request, "manage/user_detail.html", {"member": member})


@admin_required
@never_cache
def user_invite_view(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    form = InviteForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "teams": list(form.cleaned_data["teams"])}
        member, password = user_invite(council=council, by=request.user,
                                       ip_address=client_ip(request), **data)
        # Shown in this response only: the password is not stored anywhere readable.
        return render(request, "manage/one_time_password.html",
                      {"member": member, "password": password, "new": True})
    return render(request, "manage/user_invite.html", {"form": form})


@admin_required
@never_cache
def user_password_reset_view(request: HttpRequest, membership_id: int) -> HttpResponse:
    member = membership_get(council=request.council, membership_id=membership_id)  # type: ignore[attr-defined]
    if request.method == "POST":
        password = user_password_reset(membership=member, by=request.user,
                                       ip_address=client_ip(request))
        return render(request, "manage/one_time_password.html",
                      {"member": member, "password": password, "new": False})
    return render(request, "manage/user_password_reset.html", {"member": member})


@admin_required
def user_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    member = membership_get(council=council, membership_id=membership_id)
    form = RoleForm(request.POST or None, initial={"role": member.role})
    if request.method == "POST" and form.is_valid():
        try:
            ChangeRole(council=council, actor=request.user, ip_address=client_ip(request),
                       membership=member, role=form.cleaned_data["role"]).execute()
        except PermissionDenied as refusal:
            form.add_error("role", str(refusal))
        else:
            messages.success(request, _("Role changed."))
            return redirect("manage:user", membership_id=member.pk)
    return render(request, "manage/user_role.html", {"member": member, "form": form})


@admin_required
def user_teams(request: HttpRequest, membership_id: int) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    member = membership_get(council=council, membership_id=membership_id)
    form = MemberTeamsForm(request.POST or None, council=council,
                           initial={"teams": list(member.teams.all())})
    if request.method == "POST" and form.is_valid():
        membership_set_teams(membership=member, teams=list(form.cleaned_data["teams"]),
                             by=request.user, ip_address=client_ip(request))
        messages.success(request, _("Teams changed."))
        return redirect("manage:user", membership_id=member.pk)
    return render(request, "manage/user_teams.html", {"member": member, "form": form})


@admin_required
def user_deactivate(request: HttpRequest, membership_id: int) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    member = membership_get(council=council, membership_id=membership_id)
    action = DeactivateUser(council=council, actor=request.user, membership=member,
                            ip_address=client_ip(request))
    if request.method == "POST":
        action.execute()
        messages.success(request, _("The account is deactivated. They can no longer sign in."))
        return redirect("manage:user", membership_id=member.pk)
    action.check()
    return render(request, "manage/user_deactivate.html", {"member": member})


@admin_required
def user_reactivate(request: HttpRequest, membership_id: int) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    member = membership_get(council=council, membership_id=membership_id)
    if request.method != "POST":
        return redirect("manage:user", membership_id=member.pk)
    ReactivateUser(council=council, actor=request.user, membership=member,
                   ip_address=client_ip(request)).execute()
    messages.success(request, _("The account is active again. They can sign in."))
    return redirect("manage:user", membership_id=member.pk)
