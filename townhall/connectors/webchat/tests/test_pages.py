"""The admin's side: allowed websites, the embed code, and the channel page section."""

from typing import Any

import pytest

from townhall.connectors.services import channel_create
from townhall.connectors.webchat.selectors import allowed_origins, setup_get
from townhall.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_admin_lists_the_websites_that_may_embed_the_chat(client: Any, dave: Any,
                                                             chat_channel: Any) -> None:
    client.force_login(dave.user)
    response = client.post(f"/webchat/channels/{chat_channel.pk}/", {
        "origins": "https://www.afon.example/\nHTTPS://Afon.Example\n\nhttps://www.afon.example"})
    assert response.status_code == 302
    assert allowed_origins(channel=chat_channel) == ["https://www.afon.example",
                                                     "https://afon.example"]
    event = AuditEvent.objects.filter(action="webchat.origins_set").order_by("id").last()
    assert event is not None and event.actor == dave.user


def test_a_website_with_a_path_is_refused_with_a_reason(client: Any, dave: Any,
                                                        chat_channel: Any) -> None:
    client.force_login(dave.user)
    page = client.post(f"/webchat/channels/{chat_channel.pk}/", {
        "origins": "https://www.afon.example/contact-us"}).content.decode()
    assert "without a path" in page
    assert allowed_origins(channel=chat_channel) == ["https://www.afon.example"]


def test_the_setup_page_gives_the_embed_line_without_any_secret(client: Any, dave: Any,
                                                                chat_channel: Any) -> None:
    client.force_login(dave.user)
    page = client.get(f"/webchat/channels/{chat_channel.pk}/").content.decode()
    assert (f'&lt;script src=&quot;http://testserver/static/webchat/widget.js&quot; '
            f'data-channel=&quot;{chat_channel.key}&quot; data-mode=&quot;chat&quot; defer&gt;'
            ) in page
    assert 'data-mode=&quot;form&quot;' in page
    assert chat_channel.webhook_secret not in page


def test_the_channel_page_shows_the_web_chat_section_only_for_chat_channels(
        client: Any, dave: Any, chat_channel: Any) -> None:
    client.force_login(dave.user)
    chat_page = client.get(f"/manage/channels/{chat_channel.pk}/").content.decode()
    assert "Get the embed code and allowed websites" in chat_page
    assert "https://www.afon.example" in chat_page
    assert (f'&lt;script src="http://testserver/static/webchat/widget.js" '
            f'data-channel="{chat_channel.key}" data-mode="chat" defer&gt;') in chat_page
    other, _ = channel_create(council=dave.council, platform="facebook", handle="afonpage")
    assert "embed code" not in client.get(f"/manage/channels/{other.pk}/").content.decode()


def test_only_the_councils_admins_reach_the_setup_page(client: Any, alice: Any, eve: Any,
                                                       chat_channel: Any) -> None:
    client.force_login(alice.user)
    assert client.get(f"/webchat/channels/{chat_channel.pk}/").status_code == 403
    client.force_login(eve.user)
    assert client.get(f"/webchat/channels/{chat_channel.pk}/").status_code == 404
    assert client.post(f"/webchat/channels/{chat_channel.pk}/",
                       {"origins": "https://evil.example"}).status_code == 404
    assert allowed_origins(channel=chat_channel) == ["https://www.afon.example"]


def test_a_channel_that_is_not_a_chat_has_no_setup_page(client: Any, dave: Any) -> None:
    other, _ = channel_create(council=dave.council, platform="x", handle="afon")
    client.force_login(dave.user)
    assert client.get(f"/webchat/channels/{other.pk}/").status_code == 404


def test_an_admin_sets_how_long_chats_last(client: Any, dave: Any, chat_channel: Any) -> None:
    client.force_login(dave.user)
    page = client.get(f"/webchat/channels/{chat_channel.pk}/").content.decode()
    assert 'name="idle_hours" type="text" value="24"' in page
    assert 'name="max_days" type="text" value="30"' in page
    response = client.post(f"/webchat/channels/{chat_channel.pk}/chat-length/",
                           {"idle_hours": "12", "max_days": "14"})
    assert response.status_code == 302
    setup = setup_get(channel=chat_channel)
    assert (setup.idle_hours, setup.max_days) == (12, 14)
    assert setup.allowed_origins == ["https://www.afon.example"]
    event = AuditEvent.objects.get(action="webchat.expiry_set")
    assert event.data == {"before": {"idle_hours": 24, "max_days": 30},
                          "after": {"idle_hours": 12, "max_days": 14}}


@pytest.mark.parametrize(("hours", "days", "error"), [
    ("a day", "30", "Enter the hours as a whole number, like 24"),
    ("0", "30", "The hours must be 1 or more"),
    ("24", "0", "The days must be 1 or more"),
    ("24", "400", "The days must be 365 or fewer"),
    ("", "30", "Enter the number of hours"),
    ("49", "2", "The hours away must not be longer than the days a chat may last (48 hours)"),
])
def test_a_chat_length_that_makes_no_sense_is_refused(client: Any, dave: Any, chat_channel: Any,
                                                      hours: str, days: str, error: str) -> None:
    client.force_login(dave.user)
    response = client.post(f"/webchat/channels/{chat_channel.pk}/chat-length/",
                           {"idle_hours": hours, "max_days": days})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and error in page
    setup = setup_get(channel=chat_channel)
    assert (setup.idle_hours, setup.max_days) == (24, 30)


def test_only_the_councils_admins_set_how_long_chats_last(client: Any, alice: Any, eve: Any,
                                                         chat_channel: Any) -> None:
    url = f"/webchat/channels/{chat_channel.pk}/chat-length/"
    client.force_login(alice.user)
    assert client.post(url, {"idle_hours": "1", "max_days": "1"}).status_code == 403
    client.force_login(eve.user)
    assert client.post(url, {"idle_hours": "1", "max_days": "1"}).status_code == 404
    assert setup_get(channel=chat_channel).idle_hours == 24
