"""Teams: list, create, rename and choose members. Supervisors may look."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from townhall.accounts.permissions import admin_required, client_ip, supervisor_required
from townhall.accounts.selectors import team_get, teams_for_council
from townhall.accounts.services import team_add, team_rename, team_set_members
from townhall.manage.forms import TeamForm, TeamMembersForm


@supervisor_required
def team_list(request: HttpRequest) -> HttpResponse:
    return render(request, "manage/team_list.html",
                  {"teams": teams_for_council(council=request.council)})  # type: ignore[attr-defined]


@supervisor_required
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    team = team_get(council=request.council, team_id=team_id)  # type: ignore[attr-defined]
    return render(request, "manage/team_detail.html", {"team": team})


@admin_required
def team_add_view(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = team_add(council=request.council, name=form.cleaned_data["name"],  # type: ignore[attr-defined]
                        by=request.user, ip_address=client_ip(request))
        messages.success(request, _("Team created. Now choose its members."))
        return redirect("manage:team-members", team_id=team.pk)
    return render(request, "manage/team_form.html", {"form": form, "team": None})


@admin_required
def team_rename_view(request: HttpRequest, team_id: int) -> HttpResponse:
    team = team_get(council=request.council, team_id=team_id)  # type: ignore[attr-defined]
    form = TeamForm(request.POST or None, initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        team_rename(team=team, name=form.cleaned_data["name"], by=request.user,
                    ip_address=client_ip(request))
        messages.success(request, _("Team renamed."))
        return redirect("manage:team", team_id=team.pk)
    return render(request, "manage/team_form.html", {"form": form, "team": team})


@admin_required
def team_members(request: HttpRequest, team_id: int) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    team = team_get(council=council, team_id=team_id)
    form = TeamMembersForm(request.POST or None, council=council,
                           initial={"members": list(team.members.all())})
    if request.method == "POST" and form.is_valid():
        team_set_members(team=team, memberships=list(form.cleaned_data["members"]),
                         by=request.user, ip_address=client_ip(request))
        messages.success(request, _("Members changed."))
        return redirect("manage:team", team_id=team.pk)
    return render(request, "manage/team_members.html", {"team": team, "form": form})
