from typing import Any

import pytest
from django.core.exceptions import ValidationError

from townhall.connectors.models import Channel, ChannelCredentials
from townhall.core.models import AuditEvent
from townhall.listening.selectors import active_rules
from townhall.listening.services import (
    feed_add,
    keyword_rule_create,
    keyword_rule_delete,
    keyword_rule_update,
)

pytestmark = pytest.mark.django_db


def test_it_creates_a_rule_with_an_audit_event(council: Any, dave: Any) -> None:
    rule = keyword_rule_create(council=council, phrase="  Afon   Borough Council ",
                               kind="words", exclude_words=["Afon Rovers"], by=dave.user)
    assert rule.phrase == "Afon Borough Council"
    event = AuditEvent.objects.get(action="listening.rule_created", object_id=str(rule.pk))
    assert event.actor == dave.user
    assert event.data["exclude_words"] == ["Afon Rovers"]


def test_a_hashtag_is_stored_without_its_hash_and_must_be_one_word(council: Any) -> None:
    rule = keyword_rule_create(council=council, phrase="#AfonCouncil", kind="hashtag",
                               exclude_words=[], by=None)
    assert rule.phrase == "AfonCouncil"
    with pytest.raises(ValidationError, match="letters, digits and underscores"):
        keyword_rule_create(council=council, phrase="#Afon Council", kind="hashtag",
                            exclude_words=[], by=None)


def test_it_refuses_the_same_rule_twice_clearly(council: Any) -> None:
    keyword_rule_create(council=council, phrase="Llanhelyg", kind="words", exclude_words=[],
                        by=None)
    with pytest.raises(ValidationError, match="already a rule"):
        keyword_rule_create(council=council, phrase="Llanhelyg", kind="words",
                            exclude_words=[], by=None)


def test_updating_records_what_changed(council: Any, dave: Any) -> None:
    rule = keyword_rule_create(council=council, phrase="Llanhelyg", kind="words",
                               exclude_words=[], by=dave.user)
    keyword_rule_update(rule=rule, phrase="Llanhelyg", kind="phrase", exclude_words=["Rovers"],
                        is_active=False, by=dave.user)
    event = AuditEvent.objects.get(action="listening.rule_updated")
    assert event.data["changes"] == {"kind": ["words", "phrase"],
                                     "exclude_words": [[], ["Rovers"]],
                                     "is_active": [True, False]}
    assert active_rules(council_id=council.pk) == []


def test_deleting_keeps_an_audit_event(council: Any, dave: Any) -> None:
    rule = keyword_rule_create(council=council, phrase="Cwmderwen", kind="words",
                               exclude_words=[], by=dave.user)
    keyword_rule_delete(rule=rule, by=dave.user)
    assert not active_rules(council_id=council.pk)
    assert AuditEvent.objects.get(action="listening.rule_deleted").data["phrase"] == "Cwmderwen"


def test_active_rules_belong_to_one_council(council: Any, other_council: Any) -> None:
    keyword_rule_create(council=council, phrase="Afon", kind="words", exclude_words=[], by=None)
    keyword_rule_create(council=other_council, phrase="Elsewhere", kind="words",
                        exclude_words=[], by=None)
    assert [r.phrase for r in active_rules(council_id=council.pk)] == ["Afon"]


def test_adding_a_feed_makes_an_rss_channel_with_its_address(council: Any, dave: Any) -> None:
    channel = feed_add(council=council, name="Afon Valley Gazette",
                       url="https://gazette.example/feed/", by=dave.user)
    assert (channel.platform, channel.handle) == ("rss", "https://gazette.example/feed/")
    assert ChannelCredentials.objects.get(channel=channel).settings == {
        "feed_url": "https://gazette.example/feed/"}
    with pytest.raises(ValidationError, match="already listen"):
        feed_add(council=council, name="Again", url="https://gazette.example/feed/",
                 by=dave.user)


@pytest.mark.parametrize("url", ["gazette.example/feed", "ftp://gazette.example/feed",
                                 "https://user:pw@gazette.example/feed"])
def test_a_feed_address_must_be_a_plain_web_address(council: Any, url: str) -> None:
    with pytest.raises(ValidationError):
        feed_add(council=council, name="Bad", url=url, by=None)
    assert not Channel.objects.filter(platform="rss").exists()
