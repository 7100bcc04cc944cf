from django.urls import include, path

from townhall.accounts import views as accounts_views
from townhall.api.views import api
from townhall.ingest.views import webhook

urlpatterns = [
    path("api/", api.urls),
    path("ingest/<str:key>", webhook, name="ingest-webhook"),
    # Sign-in and sign-out come before the inbox's include, which shadows its own.
    path("login/", accounts_views.sign_in, name="login"),
    path("logout/", accounts_views.sign_out, name="logout"),
    path("account/", include("townhall.accounts.urls")),
    path("manage/", include("townhall.manage.urls")),
    path("connectors/", include("townhall.connectors.urls")),
    path("", include("townhall.triage.urls")),
    path("", include("townhall.inbox.urls")),
]

handler400 = "townhall.core.errors.bad_request"
handler403 = "townhall.core.errors.permission_denied"
handler404 = "townhall.core.errors.page_not_found"
handler500 = "townhall.core.errors.server_error"
