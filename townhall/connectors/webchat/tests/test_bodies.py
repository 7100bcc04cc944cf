"""Oversized and malformed posts from a widget (or anything pretending to be one): a
clear error the widget can read, nothing half-stored, and the chat still works after."""

import pytest

from townhall.connectors.webchat.models import WebchatSession
from townhall.connectors.webchat.tests.conftest import SITE, Visitor
from townhall.inbox.models import Message
from townhall.ingest.models import RawEvent

pytestmark = pytest.mark.django_db

THREE_MB = b'{"id": "msg-0001-huge", "text": "' + b"x" * (3 * 1024 * 1024) + b'"}'


def test_a_three_megabyte_message_gets_413_and_the_chat_carries_on(visitor: Visitor) -> None:
    response = visitor.client.post(visitor.url("messages"), data=THREE_MB,
                                   content_type="application/json", headers=visitor.auth())
    assert response.status_code == 413
    assert response.json()["error"] == ("The message is too long to send. Keep it under "
                                        "4,000 characters.")
    # Readable by the widget on the council's website, so it can say what went wrong.
    assert response["Access-Control-Allow-Origin"] == SITE
    assert RawEvent.objects.count() == 0
    assert visitor.send("The short version: a pothole on Mill Lane").status_code == 202
    assert Message.objects.get().text == "The short version: a pothole on Mill Lane"


def test_a_three_megabyte_body_cannot_open_a_session(chat_channel: object) -> None:
    visitor = Visitor(chat_channel)
    response = visitor.client.post(visitor.url("sessions"), data=THREE_MB,
                                   content_type="application/json")
    assert response.status_code == 413 and "too long" in response.json()["error"]
    assert not WebchatSession.objects.exists()


@pytest.mark.parametrize("body", [
    b'{"id": "msg-0001-half", "text": "The bins',  # cut off on the way
    b"id=msg-0001-form&text=hello",  # a form post, not JSON
    b"",
    b'\xff\xfe{"id": "msg-0001-utf", "text": "hi"}',  # not UTF-8
])
def test_a_body_that_is_not_json_gets_400_saying_so(visitor: Visitor, body: bytes) -> None:
    response = visitor.client.post(visitor.url("messages"), data=body,
                                   content_type="application/json", headers=visitor.auth())
    assert response.status_code == 400
    assert response.json()["error"] == "The message could not be read. Send it as JSON."
    assert response["Access-Control-Allow-Origin"] == SITE
    assert RawEvent.objects.count() == 0


@pytest.mark.parametrize(("body", "field", "error"), [
    (b'["msg-0001-list", "hello"]', "", "Send a JSON object."),
    (b'{"text": "No id"}', "id", "'id' must be 8 to 64 letters, digits, - or _, made once "
                                  "per message."),
    (b'{"id": "msg-0001-none", "text": 42}', "text", "'text' must be text."),
    (b'{"id": "msg-0001-none", "text": "   "}', "text", "Enter your message."),
])
def test_json_of_the_wrong_shape_gets_400_naming_the_field(visitor: Visitor, body: bytes,
                                                           field: str, error: str) -> None:
    response = visitor.client.post(visitor.url("messages"), data=body,
                                   content_type="application/json", headers=visitor.auth())
    assert response.status_code == 400
    assert response.json() == {"error": error, "field": field}
    assert RawEvent.objects.count() == 0
