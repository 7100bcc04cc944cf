from django.urls import path

from townhall.listening import views

app_name = "listening"
urlpatterns = [
    path("", views.index, name="index"),
    path("rules/add/", views.rule_add, name="rule-add"),
    path("rules/<int:rule_id>/", views.rule_edit, name="rule"),
    path("rules/<int:rule_id>/delete/", views.rule_delete, name="rule-delete"),
    path("feeds/add/", views.feed_add, name="feed-add"),
    path("feeds/<int:channel_id>/check/", views.feed_check, name="feed-check"),
]
