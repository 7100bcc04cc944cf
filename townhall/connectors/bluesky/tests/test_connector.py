from typing import Any

import pytest

from townhall.connectors.bluesky.tests.fake_bluesky import DID, FakeBluesky
from townhall.connectors.bluesky.text import graphemes
from townhall.connectors.errors import PermanentError, RetriableError
from townhall.connectors.fake import Scripted
from townhall.connectors.registry import connector_for
from townhall.connectors.services import channel_poll

COUNCIL_POST = f"at://{DID}/app.bsky.feed.post/3lbinsday2a2k"
CERYS_REPLY = "at://did:plc:cerysjenkins2m5a7plq4z/app.bsky.feed.post/3ljbins7pq2k"


def test_check_signs_in_and_says_so(bluesky_channel: Any, bluesky: FakeBluesky) -> None:
    result = connector_for(bluesky_channel).check()
    assert result.ok
    assert "signed in as @afon.gov.uk" in result.lines[1]


def test_it_polls_mentions_replies_and_quotes_but_not_likes(bluesky_channel: Any,
                                                            bluesky: FakeBluesky) -> None:
    assert channel_poll(channel=bluesky_channel).created == 3
    assert channel_poll(channel=bluesky_channel).created == 0
    assert bluesky.sessions_created == 1


def test_it_resumes_from_the_stored_page_cursor(bluesky_channel: Any, bluesky: FakeBluesky,
                                                monkeypatch: Any) -> None:
    monkeypatch.setattr("townhall.connectors.bluesky.connector.MAX_PAGES", 1)
    bluesky.page_size = 1
    connector = connector_for(bluesky_channel)
    floor = "2026-03-01T00:00:00+00:00"
    first = connector.poll({"newest": floor})
    assert first.cursor["newest"] == floor and first.cursor["resume"]["cursor"]
    seen = list(first.items)
    cursor = first.cursor
    for _ in range(5):
        polled = connector.poll(cursor)
        seen += polled.items
        cursor = polled.cursor
        if "resume" not in cursor:
            break
    assert cursor["newest"] == "2026-03-02T12:00:00.500Z"
    assert len({i.platform_message_id for i in seen}) == 3


def test_an_expired_session_is_refreshed_once(bluesky_channel: Any, bluesky: FakeBluesky) -> None:
    connector = connector_for(bluesky_channel)
    connector.poll({})
    bluesky.expire_access()
    connector.poll({})
    assert bluesky.refreshed == 1 and bluesky.sessions_created == 1


def test_a_reply_carries_root_and_parent_strong_refs(bluesky_channel: Any,
                                                     bluesky: FakeBluesky) -> None:
    sent = connector_for(bluesky_channel).send_reply(
        text="Sorry about that. A crew will come back today.", thread_id=CERYS_REPLY,
        in_reply_to=CERYS_REPLY, idempotency_key="k")
    record = bluesky.sent[0]["record"]
    assert record["reply"]["root"]["uri"] == COUNCIL_POST
    assert record["reply"]["parent"] == {"uri": CERYS_REPLY,
                                         "cid": "bafyreibreplybins3zp6q4xo2l7x5jgn6mpmvpoe4"}
    assert record["createdAt"].endswith("Z")
    assert sent.platform_message_id == bluesky.sent[0]["uri"]


def test_a_reply_over_300_graphemes_is_refused_before_sending(bluesky_channel: Any,
                                                              bluesky: FakeBluesky) -> None:
    with pytest.raises(PermanentError, match="allows 300"):
        connector_for(bluesky_channel).send_reply(text="a" * 301, thread_id=CERYS_REPLY,
                                                  in_reply_to="", idempotency_key="k")
    assert bluesky.sent == []


def test_a_429_waits_for_ratelimit_reset(bluesky_channel: Any, bluesky: FakeBluesky) -> None:
    bluesky.script("GET", r"/xrpc/app\.bsky\.notification\.listNotifications", Scripted(
        429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        headers={"RateLimit-Reset": "4102444800"}))
    with pytest.raises(RetriableError) as caught:
        connector_for(bluesky_channel).poll({})
    assert caught.value.retry_after and caught.value.retry_after > 1e6


@pytest.mark.parametrize(("text", "count"), [
    ("Diolch", 6),
    ("cafe\u0301", 4),  # e + combining acute
    ("👩‍👩‍👧", 1),  # a ZWJ family
    ("👍🏽", 1),  # skin tone
    ("🇬🇧", 1),  # a flag from two regional indicators
    ("🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f", 1),  # Wales
    ("a\r\nb", 3),
])
def test_it_counts_graphemes_not_code_points(text: str, count: int) -> None:
    assert graphemes(text) == count
