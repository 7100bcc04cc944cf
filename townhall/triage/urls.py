from django.urls import path

from townhall.triage import views

app_name = "triage"
urlpatterns = [
    path("", views.alerts, name="alerts"),
    path("<int:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
]
