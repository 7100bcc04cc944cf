from django.urls import path

from townhall.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("table.csv", views.table_csv, name="table-csv"),
    path("conversations/", views.conversations, name="conversations"),
    path("targets/", views.targets, name="targets"),
    path("targets/add/", views.target_add, name="target-add"),
    path("targets/<int:target_id>/", views.target_edit, name="target-edit"),
    path("targets/<int:target_id>/remove/", views.target_delete, name="target-delete"),
    path("report/", views.report, name="report"),
    path("report/download/", views.report_download, name="report-download"),
    path("report/email/", views.report_subscription, name="report-subscription"),
    path("wards/", views.wards, name="wards"),
    path("wards/add/", views.ward_edit, name="ward-add"),
    path("wards/<int:ward_id>/", views.ward_edit, name="ward-edit"),
    path("wards/<int:ward_id>/remove/", views.ward_delete, name="ward-delete"),
]
