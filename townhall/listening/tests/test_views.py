from typing import Any

import pytest

from townhall.connectors.models import Channel
from townhall.listening.models import KeywordRule
from townhall.listening.services import keyword_rule_create

pytestmark = pytest.mark.django_db


def test_an_admin_adds_a_rule(client: Any, dave: Any) -> None:
    client.force_login(dave.user)
    response = client.post("/listening/rules/add/", {
        "phrase": "Afon Borough Council", "kind": "words",
        "exclude_words": "Afon Rovers\nAfon Wanderers"})
    assert response.status_code == 302
    rule = KeywordRule.objects.get(council=dave.council)
    assert rule.exclude_words == ["Afon Rovers", "Afon Wanderers"]
    page = client.get("/listening/").content.decode()
    assert "Afon Borough Council" in page and "Afon Rovers, Afon Wanderers" in page


def test_a_blank_rule_names_the_problem(client: Any, dave: Any) -> None:
    client.force_login(dave.user)
    page = client.post("/listening/rules/add/", {"phrase": "", "kind": "words"}).content.decode()
    assert "Enter a word or phrase to listen for" in page
    assert "<title>Error:" in page


def test_a_duplicate_rule_is_refused_on_the_form(client: Any, dave: Any) -> None:
    keyword_rule_create(council=dave.council, phrase="Llanhelyg", kind="words",
                        exclude_words=[], by=None)
    client.force_login(dave.user)
    page = client.post("/listening/rules/add/", {"phrase": "Llanhelyg", "kind": "words"})
    assert "already a rule" in page.content.decode()


def test_an_admin_pauses_and_deletes_a_rule(client: Any, dave: Any) -> None:
    rule = keyword_rule_create(council=dave.council, phrase="Cwmderwen", kind="words",
                               exclude_words=[], by=None)
    client.force_login(dave.user)
    client.post(f"/listening/rules/{rule.pk}/", {"phrase": "Cwmderwen", "kind": "words"})
    rule.refresh_from_db()
    assert rule.is_active is False
    client.post(f"/listening/rules/{rule.pk}/delete/")
    assert not KeywordRule.objects.filter(pk=rule.pk).exists()


def test_the_page_tests_text_against_the_rules(client: Any, dave: Any) -> None:
    keyword_rule_create(council=dave.council, phrase="AfonCouncil", kind="hashtag",
                        exclude_words=[], by=None)
    client.force_login(dave.user)
    hit = client.get("/listening/", {"sample": "Great work #afoncouncil"}).content.decode()
    assert "It matches:" in hit and "<strong>#AfonCouncil</strong>" in hit
    miss = client.get("/listening/", {"sample": "AfonCouncil without a hash"}).content.decode()
    assert "No active rule matches this text" in miss


def test_an_admin_adds_a_feed(client: Any, dave: Any) -> None:
    client.force_login(dave.user)
    response = client.post("/listening/feeds/add/", {"name": "Afon Valley Gazette",
                                                     "url": "https://gazette.example/feed/"})
    assert response.status_code == 302
    assert Channel.objects.get(platform="rss").name == "Afon Valley Gazette"
    bad = client.post("/listening/feeds/add/", {"name": "X", "url": "not a web address"})
    assert "starting with https://" in bad.content.decode()


def test_reading_an_unreachable_feed_now_says_why(client: Any, dave: Any) -> None:
    client.force_login(dave.user)
    client.post("/listening/feeds/add/", {"name": "Gone", "url": "http://127.0.0.1:9/feed"})
    channel = Channel.objects.get(platform="rss")
    page = client.post(f"/listening/feeds/{channel.pk}/check/", follow=True).content.decode()
    assert "Townhall could not read Gone: Townhall could not connect to the feed at " \
           "127.0.0.1." in page


def test_officers_cannot_open_listening(client: Any, alice: Any) -> None:
    client.force_login(alice.user)
    assert client.get("/listening/").status_code == 403
    assert client.post("/listening/rules/add/", {"phrase": "x", "kind": "words"}
                       ).status_code == 403


def test_another_councils_admin_cannot_see_or_change_a_rule(client: Any, dave: Any,
                                                            eve: Any) -> None:
    rule = keyword_rule_create(council=dave.council, phrase="Afon", kind="words",
                               exclude_words=[], by=None)
    client.force_login(eve.user)
    assert "Afon" not in client.get("/listening/").content.decode()
    assert client.get(f"/listening/rules/{rule.pk}/").status_code == 404
    assert client.post(f"/listening/rules/{rule.pk}/delete/").status_code == 404
    assert KeywordRule.objects.filter(pk=rule.pk).exists()
