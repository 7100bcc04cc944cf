from django.urls import path

from townhall.accounts import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password, name="password"),
]
