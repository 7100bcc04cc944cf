from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "townhall.triage"
    label = "triage"
