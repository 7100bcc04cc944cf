from django.urls import path

from townhall.manage.views import audit, categories, channels, index, people, teams

app_name = "manage"
urlpatterns = [
    path("", index, name="index"),
    path("users/", people.user_list, name="users"),
    path("users/invite/", people.user_invite_view, name="user-invite"),
    path("users/<int:membership_id>/", people.user_detail, name="user"),
    path("users/<int:membership_id>/role/", people.user_role, name="user-role"),
    path("users/<int:membership_id>/teams/", people.user_teams, name="user-teams"),
    path("users/<int:membership_id>/password/", people.user_password_reset_view,
         name="user-password"),
    path("users/<int:membership_id>/deactivate/", people.user_deactivate,
         name="user-deactivate"),
    path("users/<int:membership_id>/reactivate/", people.user_reactivate,
         name="user-reactivate"),
    path("teams/", teams.team_list, name="teams"),
    path("teams/add/", teams.team_add_view, name="team-add"),
    path("teams/<int:team_id>/", teams.team_detail, name="team"),
    path("teams/<int:team_id>/rename/", teams.team_rename_view, name="team-rename"),
    path("teams/<int:team_id>/members/", teams.team_members, name="team-members"),
    path("channels/", channels.channel_list, name="channels"),
    path("channels/add/", channels.channel_add, name="channel-add"),
    path("channels/<int:channel_id>/", channels.channel_detail, name="channel"),
    path("channels/<int:channel_id>/rotate/", channels.channel_rotate, name="channel-rotate"),
    path("channels/<int:channel_id>/active/", channels.channel_active, name="channel-active"),
    path("categories/", categories.category_list, name="categories"),
    path("categories/add/", categories.category_add_view, name="category-add"),
    path("categories/<int:category_id>/", categories.category_edit, name="category"),
    path("audit/", audit.audit_list, name="audit"),
    path("audit/export.csv", audit.audit_export, name="audit-export"),
]
