from datetime import date
from typing import Any

import pytest

from townhall.inbox.models import Conversation
from townhall.listening.demo import demo_install
from townhall.listening.models import KeywordRule

pytestmark = pytest.mark.django_db


def test_the_demo_brings_in_only_the_matching_stories_once(council: Any) -> None:
    assert demo_install(council, today=date(2026, 3, 10)) == 5
    subjects = sorted(Conversation.objects.filter(channel__platform="rss")
                      .values_list("subject", flat=True))
    assert subjects == [
        "Afoncaster council approves new flood defences for Mill Lane",
        "Bin collections move to Saturday after the bank holiday",
        "Cwmderwen playground: thank you to the council",
        "Cyngor Caerafon yn agor llyfrgell newydd yn Llanhelyg",
        "Pont-y-Felin residents petition for a school crossing",
    ]
    assert demo_install(council, today=date(2026, 3, 10)) == 0
    assert KeywordRule.objects.filter(council=council).count() == 7
