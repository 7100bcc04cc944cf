from django.contrib.auth import views as auth_views
from django.urls import path

from townhall.inbox import views

app_name = "inbox"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="inbox/login.html"),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.inbox, name="inbox"),
    path("conversations/<int:conversation_id>/", views.conversation, name="conversation"),
]
