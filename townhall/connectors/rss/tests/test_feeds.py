"""Reading RSS 2.0, RSS 1.0 and Atom 1.0 safely."""

from datetime import UTC, datetime

import pytest

from townhall.connectors.rss.feeds import FeedError, html_text, parse_date, parse_feed
from townhall.connectors.rss.tests.fake_feeds import recorded


def test_it_reads_an_rss_2_feed_with_its_html_reduced_to_words() -> None:
    feed = parse_feed(recorded("feeds/gazette_rss.xml"))
    assert (feed.kind, feed.title, len(feed.entries)) == ("rss", "Afon Valley Gazette", 4)
    first = feed.entries[0]
    assert first.id == "https://gazette.example/?p=48211"
    assert first.author == "Rhian Pugh"
    assert first.published == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert "three weeks running" in first.summary and "<strong>" not in first.summary
    assert "reviewed & changed by April" in first.summary
    assert feed.entries[2].categories == ("AfonCouncil",)


def test_it_reads_an_atom_feed_of_html_and_xhtml_entries() -> None:
    feed = parse_feed(recorded("feeds/community_atom.xml"))
    assert feed.kind == "atom" and feed.link == "https://llais.example/"
    first, second, _ = feed.entries
    assert first.title == "Playground reopens at last"
    assert first.link == "https://llais.example/2026/03/playground"
    assert first.published == datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
    assert first.summary == "Thanks to Afon Borough Council the swings are back."
    assert second.author == "Llais Llanhelyg volunteers"
    assert "Heol yr Eglwys" in second.summary and "#afoncouncil" in second.summary


def test_it_reads_an_rss_1_feed() -> None:
    body = b"""<?xml version="1.0"?>
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
             xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://old.example/"><title>Old Parish News</title>
        <link>https://old.example/</link></channel>
      <item rdf:about="https://old.example/1"><title>Hall repairs</title>
        <link>https://old.example/1</link><description>The roof is done.</description>
        <dc:date>2026-03-01T10:00:00Z</dc:date></item>
    </rdf:RDF>"""
    feed = parse_feed(body)
    assert (feed.kind, feed.title) == ("rdf", "Old Parish News")
    assert feed.entries[0].id == "https://old.example/1"
    assert feed.entries[0].published == datetime(2026, 3, 1, 10, tzinfo=UTC)


def test_it_says_where_a_malformed_feed_breaks() -> None:
    with pytest.raises(FeedError, match=r"not well-formed XML: the problem is at line \d+"):
        parse_feed(recorded("feeds/malformed.xml"))


def test_it_refuses_entity_declarations_instead_of_expanding_them() -> None:
    with pytest.raises(FeedError, match="entities"):
        parse_feed(recorded("feeds/entities.xml"))


@pytest.mark.parametrize("body, reason", [
    (b"", "empty"),
    (b"<html><body>Moved</body></html>", "top element is <html>"),
    (b"<rss version='2.0'></rss>", "no <channel>"),
])
def test_it_names_what_is_wrong_with_a_document_that_is_not_a_feed(body: bytes,
                                                                   reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        parse_feed(body)


def test_dates_in_either_format_become_aware() -> None:
    assert parse_date("Mon, 02 Mar 2026 09:15:00 GMT") == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert parse_date("2026-03-02T09:15:00Z") == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert parse_date("next Tuesday") is None


def test_html_text_keeps_paragraphs_and_drops_scripts() -> None:
    assert html_text("<p>One&nbsp;two</p><script>alert(1)</script><p>Three</p>") == \
        "One two\nThree"
