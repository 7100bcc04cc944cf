from django.urls import include, path

from townhall.accounts import views as accounts_views
from townhall.api.views import api
from townhall.ingest.views import webhook
from townhall.shift.views import go as shift_go

urlpatterns = [
    path("api/", api.urls),
    path("ingest/<str:key>", webhook, name="ingest-webhook"),
    # Sign-in and sign-out come before the inbox's include, which shadows its own.
    path("login/", accounts_views.sign_in, name="login"),
    path("logout/", accounts_views.sign_out, name="logout"),
    path("account/", include("townhall.accounts.urls")),
    # Django's set_language view (POST only, CSRF-checked): the header's English / Cymraeg switch.
    path("i18n/", include("django.conf.urls.i18n")),
    path("manage/", include("townhall.manage.urls")),
    path("respond/", include("townhall.respond.urls")),
    path("shift/", include("townhall.shift.urls")),
    path("go/<str:token>", shift_go, name="shift-go"),
    path("open311/", include("townhall.open311.urls")),
    path("connectors/", include("townhall.connectors.urls")),
    path("webchat/", include("townhall.connectors.webchat.urls")),
    path("listening/", include("townhall.listening.urls")),
    path("analytics/", include("townhall.analytics.urls")),
    path("", include("townhall.triage.urls")),
    path("", include("townhall.inbox.urls")),
]

handler400 = "townhall.core.errors.bad_request"
handler403 = "townhall.core.errors.permission_denied"
handler404 = "townhall.core.errors.page_not_found"
handler500 = "townhall.core.errors.server_error"
