from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "townhall.listening"
    label = "listening"
