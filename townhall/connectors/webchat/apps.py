from django.apps import AppConfig


class WebchatConfig(AppConfig):
    name = "townhall.connectors.webchat"
    label = "webchat"
    verbose_name = "Web chat"
