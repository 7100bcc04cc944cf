from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from townhall.accounts.permissions import supervisor_required


@supervisor_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "manage/index.html")
