from django.urls import path

from townhall.respond import views

app_name = "respond"
urlpatterns = [
    path("", views.index, name="index"),
    path("approvals/", views.approval_list, name="approvals"),
    path("approvals/<int:approval_id>/", views.approval_detail, name="approval"),
    path("approvals/<int:approval_id>/approve/", views.approval_approve, name="approval-approve"),
    path("approvals/<int:approval_id>/reject/", views.approval_reject, name="approval-reject"),
    path("welsh-report/", views.report, name="report"),
    path("hours/", views.hours, name="hours"),
    path("hours/closures/", views.closure_add, name="closure-add"),
    path("hours/closures/<int:closure_id>/remove/", views.closure_remove, name="closure-remove"),
    path("targets/", views.target_list, name="targets"),
    path("targets/add/", views.target_add, name="target-add"),
    path("targets/<int:target_id>/", views.target_edit, name="target"),
    path("targets/<int:target_id>/delete/", views.target_delete, name="target-delete"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/add/", views.rule_add, name="rule-add"),
    path("rules/<int:rule_id>/", views.rule_edit, name="rule"),
    path("rules/<int:rule_id>/delete/", views.rule_delete, name="rule-delete"),
    path("saved-replies/", views.saved_reply_list, name="saved-replies"),
    path("saved-replies/add/", views.saved_reply_add, name="saved-reply-add"),
    path("saved-replies/<int:reply_id>/", views.saved_reply_edit, name="saved-reply"),
    path("saved-replies/<int:reply_id>/delete/", views.saved_reply_delete,
         name="saved-reply-delete"),
]
