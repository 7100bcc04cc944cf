from django.urls import path

from townhall.connectors.views import webhook

urlpatterns = [
    path("<str:platform>/<str:key>/webhook", webhook, name="connector-webhook"),
]
