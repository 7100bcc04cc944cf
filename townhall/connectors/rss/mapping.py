"""Feed entries that match the council's keyword rules, as incoming mentions."""

import hashlib
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from django.utils.translation import ngettext

from townhall.connectors.rss.feeds import Feed, FeedEntry
from townhall.ingest.items import MAX_HANDLE, MAX_ID, IncomingItem, ItemError, parse_item
from townhall.listening.matching import Rule, describe, matches

MAX_SUMMARY = 3000


def match_text(entry: FeedEntry) -> str:
    """What the rules are matched against: title, summary and the entry's categories,
    which feeds use as hashtags."""
    tags = " ".join("#" + "".join(c.split()) for c in entry.categories)
    return f"{entry.title}\n{entry.summary}\n{tags}"


def entry_id(entry: FeedEntry) -> str:
    """The entry's own id (Atom id, RSS guid), else its link; a long one is hashed so
    it still fits, and still names the same entry every time."""
    raw = entry.id.strip() or entry.link.strip()
    if len(raw) > MAX_ID:
        return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()
    return raw


def _site(feed: Feed, feed_url: str) -> str:
    return urlsplit(feed.link or feed_url).hostname or feed_url


def _summary(entry: FeedEntry) -> str:
    text = entry.summary
    if len(text) > MAX_SUMMARY:
        text = text[:MAX_SUMMARY].rsplit(" ", 1)[0] + " …"
    return text


def mention_text(entry: FeedEntry, matched: Sequence[Rule]) -> str:
    names = ", ".join(describe(r) for r in matched)
    rules = ngettext("Matched keyword rule: %(rules)s", "Matched keyword rules: %(rules)s",
                     len(matched)) % {"rules": names}
    parts = [entry.title, _summary(entry), entry.link, rules]
    return "\n\n".join(p for p in parts if p)


def entry_item(entry: FeedEntry, *, feed: Feed, feed_url: str, channel: str,
               rules: Sequence[Rule], fetched_at: datetime) -> IncomingItem | ItemError | None:
    """The mention for one entry; None when no rule matches; ItemError when it matches
    but cannot be stored (no id and no link to tell it apart by)."""
    matched = matches(rules, match_text(entry))
    if not matched:
        return None
    pmid = entry_id(entry)
    if not pmid:
        title = entry.title[:60] or entry.summary[:60]
        return ItemError(f"The entry “{title}” has no id, guid or link, so Townhall cannot "
                         "tell it apart from the others.")
    site = _site(feed, feed_url)
    author_name = (entry.author or feed.title or site)[:200]
    attachments = [{"type": "keyword_match",
                    "rules": [{"id": r.id, "phrase": r.phrase, "kind": r.kind}
                              for r in matched]}]
    if entry.link:
        attachments.insert(0, {"type": "link", "url": entry.link, "title": entry.title})
    data = {
        "platform": "rss", "channel": channel, "platform_message_id": pmid,
        "author": (entry.author or site)[:MAX_HANDLE], "author_name": author_name,
        "text": mention_text(entry, matched),
        "created_at": (entry.published or feed.updated or fetched_at).isoformat(),
        "attachments": attachments,
    }
    try:
        return parse_item(data, platform="rss", channel=channel)
    except ItemError as error:
        return ItemError(f"The entry {pmid[:80]!r} cannot be stored: {error}")


def feed_items(feed: Feed, *, feed_url: str, channel: str, rules: Sequence[Rule],
               fetched_at: datetime) -> list[IncomingItem | ItemError]:
    """Every matching entry, in feed order; a broken one becomes an ItemError in place."""
    found = []
    for entry in feed.entries:
        item = entry_item(entry, feed=feed, feed_url=feed_url, channel=channel, rules=rules,
                          fetched_at=fetched_at)
        if item is not None:
            found.append(item)
    return found
