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
    path("conversations/<int:conversation_id>/live/", views.conversation_live, name="live"),
    path("conversations/<int:conversation_id>/reply/", views.reply, name="reply"),
    path("conversations/<int:conversation_id>/note/", views.note, name="note"),
    path("conversations/<int:conversation_id>/assign/", views.assign, name="assign"),
    path("conversations/<int:conversation_id>/triage/", views.correct, name="correct"),
    path("conversations/<int:conversation_id>/close/", views.close, name="close"),
    path("conversations/<int:conversation_id>/reopen/", views.reopen, name="reopen"),
    path("conversations/<int:conversation_id>/snooze/", views.snooze, name="snooze"),
]
