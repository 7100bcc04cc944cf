"""Background work: the periodic tasks and their last runs, for administrators.

The schedule belongs to the whole installation, not to one council, so the page shows
when each task ran and whether it succeeded, never what it returned or its error text:
those can name other councils. Operators read them with `townhall schedule list`.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from townhall.accounts.permissions import admin_required
from townhall.core.scheduler.loop import scheduler_running_here
from townhall.core.scheduler.selectors import schedule_mode, schedule_status


@admin_required
def background(request: HttpRequest) -> HttpResponse:
    return render(request, "manage/background.html", {
        "tasks": schedule_status(), "mode": schedule_mode(),
        "running_here": scheduler_running_here()})
