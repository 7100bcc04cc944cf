"""The bulk-write helpers store exactly what the ORM would."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from townhall.connectors.models import Channel
from townhall.core.lib.db import insert_rows, new_row
from townhall.ingest.models import RawEvent, RawStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(council) -> Channel:
    return Channel.objects.create(council=council, platform="facebook", handle="page",
                                  name="Page")


def test_rows_built_fast_read_back_as_the_orm_built_them(council, channel) -> None:
    at = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=1)))  # around the clock change
    fast = new_row(RawEvent, council=council, channel=channel, source="import",
                   platform_message_id="m1", content_hash="a" * 64,
                   payload={"text": "Bin missed ŵ 🚮", "attachments": []}, received_at=at)
    insert_rows(RawEvent, [fast])
    slow = RawEvent.objects.create(council=council, channel=channel, source="import",
                                   platform_message_id="m2", content_hash="b" * 64,
                                   payload={"text": "Bin missed ŵ 🚮", "attachments": []},
                                   received_at=at)

    stored_fast, stored_slow = (RawEvent.objects.get(pk=fast.pk), RawEvent.objects.get(pk=slow.pk))
    assert stored_fast.received_at == stored_slow.received_at == at
    assert stored_fast.received_at.astimezone(UTC).hour == 0
    assert stored_fast.payload == stored_slow.payload
    assert stored_fast.status == RawStatus.PENDING  # the model's default
    assert stored_fast.attempts == 0 and stored_fast.processed_at is None
    assert fast.channel is channel  # the related object is kept, as the constructor does


def test_an_unknown_field_is_refused_as_the_constructor_would() -> None:
    with pytest.raises(TypeError, match="no field 'colour'"):
        new_row(RawEvent, colour="red")
