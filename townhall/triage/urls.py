from django.urls import path

from townhall.triage import views

app_name = "triage"
urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("classifier/", views.classifier, name="classifier"),
    path("classifier/retrain/", views.retrain, name="retrain"),
]
