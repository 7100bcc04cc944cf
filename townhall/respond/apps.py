from django.apps import AppConfig


class RespondConfig(AppConfig):
    """Answering well: office hours and response targets, saved replies, the Welsh rule
    and approvals."""

    name = "townhall.respond"
    label = "respond"
