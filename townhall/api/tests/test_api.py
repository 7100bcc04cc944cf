import pytest
from django.test import Client

from townhall.accounts.services import api_token_create
from townhall.conftest import message_data
from townhall.connectors.services import channel_create
from townhall.inbox.models import Conversation
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest


@pytest.fixture
def facebook(council):
    channel, _ = channel_create(council=council, platform="facebook", handle="afoncouncil")
    return channel


def bearer(membership) -> dict:
    _, raw = api_token_create(membership=membership, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_it_refuses_a_request_without_a_token(client: Client, db) -> None:
    assert client.get("/api/conversations").status_code == 401


def test_it_refuses_a_wrong_token(client: Client, alice) -> None:
    response = client.get("/api/conversations", HTTP_AUTHORIZATION="Bearer th_wrong")
    assert response.status_code == 401


def test_it_creates_a_message_and_reads_it_back(client: Client, alice, facebook) -> None:
    headers = bearer(alice)
    response = client.post("/api/messages", data=message_data(), content_type="application/json",
                           **headers)
    assert response.status_code == 201
    message_id = response.json()["message_id"]
    again = client.post("/api/messages", data=message_data(), content_type="application/json",
                        **headers)
    assert again.status_code == 200
    assert again.json()["duplicates"] == 1

    message = client.get(f"/api/messages/{message_id}", **headers).json()
    assert message["text"] == message_data()["text"]
    assert message["author"] == "fb:1001"

    listing = client.get("/api/conversations", **headers).json()
    assert [c["subject"] for c in listing] == [message_data()["text"]]
    detail = client.get(f"/api/conversations/{listing[0]['id']}", **headers).json()
    assert detail["messages"][0]["id"] == message_id


def test_it_explains_an_invalid_message(client: Client, alice, facebook) -> None:
    response = client.post("/api/messages", data=message_data(created_at="2026-01-01"),
                           content_type="application/json", **bearer(alice))
    assert response.status_code == 400
    assert "time zone" in response.json()["error"]


def test_it_refuses_a_channel_the_council_does_not_have(client: Client, alice) -> None:
    response = client.post("/api/messages", data=message_data(channel="someone-else"),
                           content_type="application/json", **bearer(alice))
    assert response.status_code == 400
    assert "no facebook channel" in response.json()["error"]


def test_another_council_sees_nothing(client: Client, council, alice, eve, facebook) -> None:
    items_ingest(council=council, items=[parse_item(message_data())], source="import")
    conversation = Conversation.objects.get()
    headers = bearer(eve)
    assert client.get("/api/conversations", **headers).json() == []
    response = client.get(f"/api/conversations/{conversation.pk}", **headers)
    assert response.status_code == 404
    message_id = conversation.messages.get().pk
    assert client.get(f"/api/messages/{message_id}", **headers).status_code == 404


def test_an_officer_cannot_read_another_teams_conversation(client: Client, council, alice,
                                                           highways, facebook) -> None:
    items_ingest(council=council, items=[parse_item(message_data())], source="import")
    Conversation.objects.update(team=highways)
    conversation = Conversation.objects.get()
    response = client.get(f"/api/conversations/{conversation.pk}", **bearer(alice))
    assert response.status_code == 404


def test_the_openapi_schema_is_published(client: Client, db) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "/api/messages" in schema["paths"]
    assert "/api/conversations/{conversation_id}" in schema["paths"]
