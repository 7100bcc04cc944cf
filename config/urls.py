from django.urls import include, path

from townhall.api.views import api
from townhall.ingest.views import webhook

urlpatterns = [
    path("api/", api.urls),
    path("ingest/<str:key>", webhook, name="ingest-webhook"),
    path("", include("townhall.inbox.urls")),
]
