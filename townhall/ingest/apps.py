from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "townhall.ingest"
    label = "ingest"
