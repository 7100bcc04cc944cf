from django.apps import AppConfig


class ShiftConfig(AppConfig):
    name = "townhall.shift"
    label = "shift"
    verbose_name = "Channel shift"
