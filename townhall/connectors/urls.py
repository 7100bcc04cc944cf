from django.urls import path

from townhall.connectors.views import webhook
from townhall.connectors.x.views import x_app_webhook

urlpatterns = [
    # One address per X app in a council, shared by its X channels (decision 503).
    path("x/app/<str:key>/webhook", x_app_webhook, name="connector-x-app-webhook"),
    path("<str:platform>/<str:key>/webhook", webhook, name="connector-webhook"),
]
