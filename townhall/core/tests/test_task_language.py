"""Tasks run in-process (the embedded mode) inside an officer's request; their emails
must not come out in that officer's interface language."""

from typing import Any

from celery import shared_task
from django.utils import translation
from django.utils.translation import gettext


@shared_task
def _translated_word() -> str:
    return gettext("Inbox")


def test_a_task_run_in_a_welsh_request_speaks_the_site_language(settings: Any) -> None:
    with translation.override("cy"):
        assert gettext("Inbox") != "Inbox"  # the Welsh catalogue is there
        assert _translated_word.delay().get() == "Inbox"
        # The officer's request carries on in Welsh afterwards.
        assert translation.get_language() == "cy"
