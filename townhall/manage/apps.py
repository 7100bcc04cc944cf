from django.apps import AppConfig


class ManageConfig(AppConfig):
    """Pages where a council's admins manage people, teams, channels and categories."""

    name = "townhall.manage"
    label = "manage"
