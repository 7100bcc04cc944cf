"""Pages in Welsh for whoever chose Cymraeg in the header, and the switch that chooses it."""

import html
import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from townhall.conftest import PASSWORD, message_data
from townhall.inbox.models import Conversation
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """Django leaves the last request's language active in the thread, and the tests that
    run after these in the same process expect English."""
    yield
    translation.deactivate()


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def welsh(db) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies[COOKIE] = "cy"
    return client


@pytest.fixture
def conversation(council) -> Conversation:
    items_ingest(council=council, source="import", items=[parse_item(message_data(
        platform_message_id="m1", thread_id="t1", channel="facebook-account"))])
    return Conversation.objects.get(council=council, thread_key="t1")


def test_it_shows_the_sign_in_page_in_welsh(welsh) -> None:
    page = text_of(welsh.get("/login/"))
    assert '<html lang="cy"' in page
    assert "Mewngofnodi i Townhall" in page and "Neidio i'r prif gynnwys" in page


def test_it_shows_english_to_someone_who_has_not_chosen(client, db) -> None:
    page = text_of(client.get("/login/"))
    assert '<html lang="en"' in page and "Sign in to Townhall" in page


def test_it_shows_the_inbox_and_its_navigation_in_welsh(welsh, alice, conversation) -> None:
    welsh.force_login(alice.user)
    page = text_of(welsh.get(reverse("inbox:inbox")))
    assert '<h1 class="govuk-heading-l">Mewnflwch</h1>' in page
    assert "Rhybuddion diogelu" in page and "Allgofnodi" in page
    assert "Sgyrsiau sydd ar agor, y mwyaf brys yn gyntaf" in page
    assert conversation.reference in page


def test_it_shows_a_conversation_and_the_reply_form_in_welsh(welsh, alice,
                                                             conversation) -> None:
    welsh.force_login(alice.user)
    page = text_of(welsh.get(reverse("inbox:conversation", args=[conversation.pk])))
    assert "Yn ôl i'r mewnflwch" in page
    assert "Eich ateb i'r preswylydd" in page and ">Anfon ateb</button>" in page
    assert "The bins on Mill Lane were not collected this week" in page


def test_it_explains_a_missing_page_in_welsh(welsh) -> None:
    response = welsh.get("/no-such-page/")
    assert response.status_code == 404
    assert "Heb ddod o hyd i'r dudalen" in text_of(response)


@pytest.mark.urls("townhall.core.tests.error_urls")
def test_it_explains_a_server_error_in_welsh_and_says_so_in_html_lang(welsh) -> None:
    response = welsh.get("/test-errors/500/")
    page = text_of(response)
    assert response.status_code == 500
    assert '<html lang="cy"' in page and "mae problem gyda Townhall" in page
    assert "Traceback" not in page


def test_it_tells_a_resident_in_welsh_that_a_tracked_link_does_not_work(welsh) -> None:
    response = welsh.get("/go/not-a-real-token")
    assert response.status_code == 404
    assert "Nid yw'r ddolen hon yn gweithio" in text_of(response)


def test_the_header_offers_the_other_language_and_marks_the_current_one(client, db) -> None:
    page = text_of(client.get("/login/"))
    assert '<strong aria-current="true" lang="en">English</strong>' in page
    assert re.search(r'<form method="post" action="/i18n/setlang/">.*?name="language" '
                     r'value="cy".*?<button class="th-link-button" type="submit" lang="cy">'
                     r'Cymraeg</button>', page, re.S)


def test_switching_language_keeps_the_choice_for_a_year_and_returns_to_the_page(
        client, alice) -> None:
    client.force_login(alice.user)
    response = client.post("/i18n/setlang/", {"language": "cy", "next": "/?status=closed"})
    assert response.status_code == 302 and response["Location"] == "/?status=closed"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "cy" and cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "Mewnflwch" in text_of(client.get("/"))

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<h1 class="govuk-heading-l">Inbox</h1>' in text_of(client.get("/"))


def test_the_choice_outlives_signing_out_and_in_again(client, alice) -> None:
    client.post("/i18n/setlang/", {"language": "cy", "next": "/login/"})
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    client.post("/logout/")
    assert client.cookies[COOKIE].value == "cy"
    assert "Mewngofnodi i Townhall" in text_of(client.get("/login/"))
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert "Mewnflwch" in text_of(client.get("/"))


def test_it_will_not_send_you_to_another_site_after_switching(client, db) -> None:
    response = client.post("/i18n/setlang/", {"language": "cy",
                                              "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_it_refuses_a_language_it_does_not_have(client, db) -> None:
    client.post("/i18n/setlang/", {"language": "fr", "next": "/login/"})
    assert "Sign in to Townhall" in text_of(client.get("/login/"))


def test_someone_who_must_change_their_password_can_still_switch(client, alice) -> None:
    type(alice).objects.filter(pk=alice.pk).update(must_change_password=True)
    client.force_login(alice.user)
    response = client.post("/i18n/setlang/", {"language": "cy",
                                              "next": reverse("accounts:password")})
    assert response["Location"] == reverse("accounts:password")
    assert "Dewiswch gyfrinair newydd" in text_of(client.get(reverse("accounts:password")))
