from django.urls import path

from townhall.shift import views

app_name = "shift"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("ledger.csv", views.ledger_csv, name="ledger-csv"),
    path("confirm", views.confirm, name="confirm"),
    path("routes/", views.route_list, name="routes"),
    path("routes/<int:category_id>/", views.route_edit, name="route"),
    path("costs/", views.costs, name="costs"),
    path("costs/secret/", views.secret_rotate, name="secret"),
]
