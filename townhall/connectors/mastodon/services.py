"""Following a Mastodon channel's user stream, with REST back-fill after every drop.

The stream does not catch up by itself: whatever arrives while it is down is only
available through REST. So each connection is opened first, then the channel is polled
from its cursor (since_id), then the stream is read until it drops; after the last
connection the channel is polled once more. The stream never moves the cursor, so a
REST back-fill always starts from what REST last read, and ingest absorbs anything the
stream delivered too.
"""

import logging
import time
from dataclasses import dataclass, field

from townhall.connectors.errors import PermanentError, RetriableError
from townhall.connectors.http import backoff
from townhall.connectors.mastodon.connector import MastodonConnector
from townhall.connectors.models import Channel
from townhall.connectors.selectors import platform_ids_received
from townhall.connectors.services import channel_poll
from townhall.ingest.items import IncomingItem

logger = logging.getLogger(__name__)


@dataclass
class StreamSummary:
    connections: int = 0
    streamed: int = 0
    backfilled: int = 0
    errors: list[str] = field(default_factory=list)


def mastodon_stream_follow(*, channel: Channel, connector: MastodonConnector | None = None,
                           connections: int | None = None, wait: bool = True) -> StreamSummary:
    """Follow the stream for `connections` connections (None: until stopped)."""
    from townhall.ingest.models import Source
    from townhall.ingest.services import items_ingest

    connector = connector or MastodonConnector.from_channel(channel)
    summary = StreamSummary()
    while connections is None or summary.connections < connections:
        summary.connections += 1
        try:
            events = connector.stream_open()
        except PermanentError:
            raise
        except RetriableError as error:
            summary.errors.append(str(error))
            events = iter(())
        summary.backfilled += channel_poll(channel=channel, connector=connector).created
        try:
            for event in events:
                if not isinstance(event, IncomingItem):
                    summary.errors.append(str(event))
                    continue
                if platform_ids_received(channel=channel, ids=[event.platform_message_id]):
                    continue
                summary.streamed += items_ingest(council=channel.council, items=[event],
                                                 source=Source.CONNECTOR,
                                                 channel=channel).created
        except RetriableError as error:
            logger.info("Mastodon stream for channel %s dropped: %s", channel.pk, error)
        if wait and (connections is None or summary.connections < connections):
            time.sleep(backoff(min(summary.connections, 6), cap=60.0))
    summary.backfilled += channel_poll(channel=channel, connector=connector).created
    return summary
