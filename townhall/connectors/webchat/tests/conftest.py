import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from townhall.connectors.services import channel_create
from townhall.connectors.webchat.services import webchat_origins_set

SITE = "https://www.afon.example"


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    """Rate-limit counts live in the cache; no test may inherit another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chat_channel(council: Any) -> Any:
    channel, _ = channel_create(council=council, platform="webchat", handle="afon-webchat",
                                name="Afon web chat")
    webchat_origins_set(channel=channel, origins=[SITE], by=None)
    return channel


class Visitor:
    """A resident's browser on the council's website, speaking to the chat API."""

    def __init__(self, channel: Any, origin: str = SITE, ip: str = "203.0.113.7") -> None:
        self.channel = channel
        self.client = Client(HTTP_ORIGIN=origin, REMOTE_ADDR=ip)
        self.token = ""

    def url(self, path: str) -> str:
        return f"/webchat/{self.channel.key}/{path}"

    def start(self) -> Any:
        response = self.client.post(self.url("sessions"), data="{}",
                                    content_type="application/json")
        if response.status_code == 201:
            self.token = response.json()["token"]
        return response

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def send(self, text: str = "The bins on Mill Lane were missed again", *,
             message_id: str = "msg-0001-abcd", **extra: Any) -> Any:
        body = {"id": message_id, "text": text, "sent_at": "", **extra}
        return self.client.post(self.url("messages"), data=json.dumps(body),
                                content_type="application/json", headers=self.auth())

    def replies(self, after: int = 0, ack: list[int] | None = None,
                seen: list[int] | None = None) -> Any:
        query = {"after": after, "ack": ",".join(str(i) for i in ack or []),
                 "seen": ",".join(str(i) for i in seen or [])}
        return self.client.get(self.url("replies"), query, headers=self.auth())


@pytest.fixture
def visitor(chat_channel: Any) -> Visitor:
    visitor = Visitor(chat_channel)
    assert visitor.start().status_code == 201
    return visitor


@pytest.fixture(autouse=True)
def _stop_polling(request: pytest.FixtureRequest) -> Iterator[None]:
    """Leave browser pages blank before the database is emptied after a test, so no poll
    from the widget reaches the live server while the tables are being flushed."""
    page = request.getfixturevalue("page") if "page" in request.fixturenames else None
    yield
    if page is not None:
        page.goto("about:blank")
