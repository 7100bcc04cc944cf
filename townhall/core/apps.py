from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "townhall.core"
    label = "core"
    verbose_name = "Townhall core"

    def ready(self) -> None:
        # Make Townhall's Celery app the one shared tasks bind to, whoever imported
        # Django first (a test runner, gunicorn, or the `townhall` command).
        from config.celery import app

        app.set_current()
        app.set_default()

        from django.conf import settings

        if not settings.CELERY_TASK_ALWAYS_EAGER:
            from townhall.core.scheduler import celery_record

            celery_record.connect()
