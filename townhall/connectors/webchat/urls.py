from django.urls import path

from townhall.connectors.webchat import api, views

app_name = "webchat"
urlpatterns = [
    path("channels/<int:channel_id>/", views.setup, name="setup"),
    path("channels/<int:channel_id>/preview/", views.preview, name="preview"),
    path("channels/<int:channel_id>/chat-length/", views.expiry, name="expiry"),
    path("<str:key>/sessions", api.sessions, name="sessions"),
    path("<str:key>/messages", api.messages, name="messages"),
    path("<str:key>/replies", api.replies, name="replies"),
    path("<str:key>/end", api.end, name="end"),
]
