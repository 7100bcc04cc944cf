"""Changes to keyword rules and feed sources, each with its audit event."""

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from townhall.connectors.models import Channel, Platform
from townhall.connectors.services import channel_create, channel_credentials_set, channel_poll
from townhall.core.models import Council
from townhall.core.services import audit_record
from townhall.ingest.services import IngestResult
from townhall.listening import matching
from townhall.listening.models import KeywordRule

MAX_EXCLUDE_WORDS = 50


def _clean(phrase: str, kind: str, exclude_words: list[str]) -> tuple[str, list[str]]:
    phrase = " ".join(phrase.split())
    if kind == matching.HASHTAG:
        phrase = phrase.lstrip("#")
    if kind not in matching.KINDS:
        raise ValidationError(_("Choose how the phrase must appear"))
    if not phrase:
        raise ValidationError(_("Enter a word or phrase to listen for"))
    if len(phrase) > 120:
        raise ValidationError(_("The phrase must be 120 characters or fewer"))
    if kind == matching.HASHTAG and not all(c.isalnum() or c == "_" for c in phrase):
        raise ValidationError(_("A hashtag can only have letters, digits and underscores, "
                                "with no spaces"))
    if len(exclude_words) > MAX_EXCLUDE_WORDS:
        raise ValidationError(_("Enter %(n)d exclude words or fewer") % {"n": MAX_EXCLUDE_WORDS})
    return phrase, [w[:120] for w in exclude_words]


def _save(rule: KeywordRule) -> None:
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        raise ValidationError(_("There is already a rule for that phrase. Edit it instead."),
                              code="duplicate") from None


@transaction.atomic
def keyword_rule_create(*, council: Council, phrase: str, kind: str,
                        exclude_words: list[str], by: Any,
                        ip_address: str | None = None) -> KeywordRule:
    phrase, exclude_words = _clean(phrase, kind, exclude_words)
    rule = KeywordRule(council=council, phrase=phrase, kind=kind, exclude_words=exclude_words)
    _save(rule)
    audit_record(council=council, actor=by, action="listening.rule_created", obj=rule,
                 data={"phrase": phrase, "kind": kind, "exclude_words": exclude_words},
                 ip_address=ip_address)
    return rule


@transaction.atomic
def keyword_rule_update(*, rule: KeywordRule, phrase: str, kind: str,
                        exclude_words: list[str], is_active: bool, by: Any,
                        ip_address: str | None = None) -> KeywordRule:
    phrase, exclude_words = _clean(phrase, kind, exclude_words)
    before = {"phrase": rule.phrase, "kind": rule.kind, "exclude_words": rule.exclude_words,
              "is_active": rule.is_active}
    rule.phrase, rule.kind, rule.exclude_words, rule.is_active = (
        phrase, kind, exclude_words, is_active)
    _save(rule)
    after = {"phrase": phrase, "kind": kind, "exclude_words": exclude_words,
             "is_active": is_active}
    audit_record(council=rule.council, actor=by, action="listening.rule_updated", obj=rule,
                 data={"changes": {k: [before[k], after[k]] for k in after
                                   if before[k] != after[k]}},
                 ip_address=ip_address)
    return rule


@transaction.atomic
def keyword_rule_delete(*, rule: KeywordRule, by: Any, ip_address: str | None = None) -> None:
    audit_record(council=rule.council, actor=by, action="listening.rule_deleted", obj=rule,
                 data={"phrase": rule.phrase, "kind": rule.kind}, ip_address=ip_address)
    rule.delete()


def feed_url_clean(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Enter the feed's full web address, starting with https://"))
    if parts.username or parts.password:
        raise ValidationError(_("Enter the address without a user name or password in it"))
    if len(url) > 200:
        raise ValidationError(_("The address must be 200 characters or fewer"))
    return url


@transaction.atomic
def feed_add(*, council: Council, name: str, url: str, by: Any,
             ip_address: str | None = None) -> Channel:
    """A news or community feed becomes a channel of platform rss, polled for mentions."""
    url = feed_url_clean(url)
    if Channel.objects.filter(council=council, platform=Platform.RSS, handle=url).exists():
        raise ValidationError(_("You already listen to that feed."), code="duplicate")
    channel, _secret = channel_create(council=council, platform=Platform.RSS, handle=url,
                                      name=name.strip(), by=by, ip_address=ip_address)
    channel_credentials_set(channel=channel, settings={"feed_url": url}, by=by)
    return channel


def feed_check(*, channel: Channel, by: Any, ip_address: str | None = None) -> IngestResult:
    """Read a feed now rather than at the next sweep. ConnectorError says what went wrong."""
    result = channel_poll(channel=channel)
    audit_record(council=channel.council, actor=by, action="listening.feed_checked",
                 obj=channel, data={"created": result.created,
                                    "duplicates": result.duplicates},
                 ip_address=ip_address)
    return result
