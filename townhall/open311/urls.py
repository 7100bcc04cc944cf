from django.urls import path, re_path

from townhall.open311 import api, views

FMT = r"\.(?P<fmt>json|xml)$"

app_name = "open311"
urlpatterns = [
    path("conversations/<int:conversation_id>/handoff/", views.handoff, name="handoff"),
    path("requests/<int:request_id>/retry/", views.retry, name="retry"),
    path("updates/<int:update_id>/reply/", views.update_reply, name="update-reply"),
    path("settings/", views.backoffice_settings, name="settings"),
    path("settings/service-codes/", views.mappings, name="mappings"),
    # GeoReport v2.
    re_path(r"^v2/discovery" + FMT, api.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, api.services, name="services"),
    re_path(r"^v2/services/(?P<code>[^/]+?)" + FMT, api.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, api.requests_, name="requests"),
    re_path(r"^v2/requests/(?P<request_id>[^/]+?)" + FMT, api.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token>[^/]+?)" + FMT, api.token_detail, name="token"),
    re_path(r"^v2/(?P<path>.*)$", api.not_found),
]
