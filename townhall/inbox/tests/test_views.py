import pytest
from django.db import connection
from django.urls import reverse

from townhall.conftest import PASSWORD, message_data
from townhall.connectors.facebook.tests.conftest import facebook_channel, graph  # noqa: F401
from townhall.inbox.models import Conversation, Message
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    def sign_in(membership):
        assert client.login(username=membership.user.username, password=PASSWORD)
        return client
    return sign_in


def test_it_lists_the_queue_with_counts(signed_in, alice, make_conversation) -> None:
    conversation = make_conversation(text="Pothole on Heol y Bont", priority="high")
    response = signed_in(alice).get(reverse("inbox:inbox"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pothole on Heol y Bont" in page and conversation.reference in page
    assert "High (1)" in page


def test_it_answers_a_quiet_poll_with_no_content(signed_in, alice, make_conversation) -> None:
    make_conversation()
    client = signed_in(alice)
    first = client.get(reverse("inbox:inbox"), headers={"HX-Request": "true"})
    token = first.content.decode().split("since=")[1].split('"')[0]
    again = client.get(reverse("inbox:inbox") + f"?since={token}",
                       headers={"HX-Request": "true"})
    assert again.status_code == 204


def test_it_hides_another_teams_conversation(signed_in, alice, highways,
                                             make_conversation) -> None:
    theirs = make_conversation(team=highways)
    client = signed_in(alice)
    assert client.get(reverse("inbox:conversation", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("inbox:close", args=[theirs.pk]),
                       {"status-version": 1}).status_code == 404


def test_it_shows_another_council_nothing(signed_in, eve, make_conversation) -> None:
    ours = make_conversation(text="Mill Lane bins")
    client = signed_in(eve)
    page = client.get(reverse("inbox:inbox") + "?q=Mill").content.decode()
    assert "Mill Lane" not in page
    assert client.get(reverse("inbox:conversation", args=[ours.pk])).status_code == 404
    assert client.get(reverse("inbox:live", args=[ours.pk])).status_code == 404


def test_it_replies_and_shows_it_queued(signed_in, alice, make_conversation) -> None:
    conversation = make_conversation()
    client = signed_in(alice)
    response = client.post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": "We will collect them tomorrow", "reply-version": 1,
        "reply-idempotency_key": "abc"}, follow=True)
    page = response.content.decode()
    assert "Your reply is queued to send." in page and "Queued to send" in page
    assert Message.objects.get(direction="out").text.endswith("^Alice")


def test_it_refuses_a_stale_reply_and_keeps_the_draft(signed_in, alice, bob, highways,
                                                      make_conversation) -> None:
    conversation = make_conversation()
    signed_in(bob).post(reverse("inbox:assign", args=[conversation.pk]), {
        "assign-version": 1, "assign-team": highways.pk, "assign-assignee": ""})
    client = signed_in(alice)
    response = client.post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": "My careful draft", "reply-version": 1,
        "reply-idempotency_key": "abc"})
    assert response.status_code == 404  # Highways' conversation is no longer alice's to see.
    assert not Message.objects.filter(direction="out").exists()


def test_it_tells_who_changed_it_and_keeps_the_draft(signed_in, alice, bob, make_conversation,
                                                     customer_services) -> None:
    conversation = make_conversation(team=customer_services)
    signed_in(bob).post(reverse("inbox:assign", args=[conversation.pk]), {
        "assign-version": 1, "assign-team": customer_services.pk,
        "assign-assignee": bob.user_id})
    response = signed_in(alice).post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": "My careful draft", "reply-version": 1,
        "reply-idempotency_key": "abc"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Bob Jones assigned it to Bob Jones, Customer Services" in page
    assert "My careful draft</textarea>" in page
    assert 'name="reply-version" value="2"' in page
    assert not Message.objects.filter(direction="out").exists()


def test_it_shows_an_error_for_an_empty_reply(signed_in, alice, make_conversation) -> None:
    conversation = make_conversation()
    response = signed_in(alice).post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": "", "reply-version": 1, "reply-idempotency_key": "abc"})
    assert response.status_code == 400
    assert 'href="#id_reply-text">Enter a reply' in response.content.decode()


def test_it_shows_who_else_is_viewing(signed_in, alice, bob, make_conversation,
                                      client) -> None:
    conversation = make_conversation()
    signed_in(bob).get(reverse("inbox:conversation", args=[conversation.pk]))
    client.logout()
    page = signed_in(alice).get(reverse("inbox:live", args=[conversation.pk])).content.decode()
    assert "Bob Jones" in page and "is also viewing this conversation" in page



def queries(client, url: str) -> tuple[int, str]:
    """How many queries one request makes (the test client resets Django's own log)."""
    made: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        made.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        page = client.get(url).content.decode()
    return len(made), page


def test_it_lists_the_queue_without_a_query_per_row(signed_in, alice, make_conversation,
                                                    customer_services) -> None:
    client = signed_in(alice)
    make_conversation(assignee=alice.user, team=customer_services)
    client.get(reverse("inbox:inbox"))
    one, _ = queries(client, reverse("inbox:inbox"))
    for n in range(5):
        make_conversation(text=f"Bins {n}", assignee=alice.user, team=customer_services)
    client.get(reverse("inbox:inbox"))
    six, page = queries(client, reverse("inbox:inbox"))
    assert six == one and "Bins 4" in page


def test_it_shows_a_long_thread_without_a_query_per_message(signed_in, alice,
                                                            make_conversation) -> None:
    conversation = make_conversation()
    client = signed_in(alice)
    url = reverse("inbox:conversation", args=[conversation.pk])
    client.get(url)  # The first visit also records who is viewing.
    one, _ = queries(client, url)
    Message.objects.bulk_create([Message(
        council_id=conversation.council_id, conversation=conversation,
        channel_id=conversation.channel_id, direction="out", text=f"Reply {n}",
        sent_by=alice.user, created_at=conversation.created_at,
        received_at=conversation.created_at, platform_message_id=f"r{n}") for n in range(5)])
    six, page = queries(client, url)
    assert six == one and "Reply 4" in page and "Alice Jones (council)" in page


@pytest.mark.django_db(transaction=True)
def test_it_says_sent_when_the_platform_took_the_reply_at_once(
        signed_in, alice, council, facebook_channel, graph) -> None:  # noqa: F811
    # Without Redis, Celery sends in the request: the reply has gone when the page says so.
    items_ingest(council=council, channel=facebook_channel, source="connector", items=[
        parse_item(message_data(platform_message_id="111_222", thread_id="111_222",
                                text="Pothole on Mill Lane, nearly came off my bike"))])
    conversation = Conversation.objects.get()
    response = signed_in(alice).post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": "Thanks, we will inspect it today.", "reply-version": conversation.version,
        "reply-idempotency_key": "sent-1"}, follow=True)
    page = response.content.decode()
    assert "Your reply has been sent." in page and "queued" not in page
    assert len(graph.sent_comments) == 1


def test_it_closes_and_reopens(signed_in, alice, make_conversation) -> None:
    conversation = make_conversation()
    client = signed_in(alice)
    closed = client.post(reverse("inbox:close", args=[conversation.pk]),
                         {"status-version": conversation.version}, follow=True)
    assert "Conversation closed." in closed.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == "closed"
    reopened = client.post(reverse("inbox:reopen", args=[conversation.pk]),
                           {"status-version": conversation.version}, follow=True)
    assert "Conversation reopened." in reopened.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == "open" and conversation.closed_at is None
    # A stale form changes nothing and says so.
    stale = client.post(reverse("inbox:close", args=[conversation.pk]), {"status-version": 1})
    assert stale.status_code == 409
    conversation.refresh_from_db()
    assert conversation.status == "open"


def test_it_searches_by_words_from_the_message(signed_in, alice, make_conversation) -> None:
    wanted = make_conversation(text="Deep pothole on Mill Lane, nearly came off my bike.")
    make_conversation(text="Bins on Mill Lane not collected")
    page = signed_in(alice).get(reverse("inbox:inbox"), {"q": "Mill Lane nearly"})
    rows = page.content.decode()
    assert wanted.reference in rows and "Bins on Mill Lane" not in rows
