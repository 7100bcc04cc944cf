"""RSS 2.0, RSS 1.0 and Atom 1.0 documents as plain dataclasses.

Parsed with defusedxml, which refuses entity declarations and external references, so a
hostile feed cannot expand a "billion laughs" or read a local file. Anything else that is
not a feed raises FeedError, saying where the document went wrong.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

ATOM = "{http://www.w3.org/2005/Atom}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
RSS1 = "{http://purl.org/rss/1.0/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"


class FeedError(ValueError):
    """The document is not a feed Townhall can read; the text says why."""


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    link: str
    # Plain text: HTML is reduced to its words.
    summary: str
    author: str
    published: datetime | None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    kind: str  # "rss", "rdf" or "atom"
    title: str
    link: str
    updated: datetime | None
    entries: list[FeedEntry]


class _Text(HTMLParser):
    BLOCKS = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
              "tr", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The words of an HTML fragment, one paragraph a line."""
    if "<" not in html:
        return _tidy(unescape(html))
    parser = _Text()
    parser.feed(html)
    parser.close()
    return _tidy("".join(parser.parts))


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    return re.sub(r"\n{2,}", "\n", "\n".join(line for line in lines if line)).strip()


def _text(element: Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def parse_date(raw: str) -> datetime | None:
    """An RFC 822 (RSS) or RFC 3339 (Atom) date, in UTC when it names no zone."""
    raw = raw.strip()
    if not raw:
        return None
    value: datetime | None = None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def parse_feed(body: bytes) -> Feed:
    if not body.strip():
        raise FeedError("The feed is empty.")
    try:
        root = fromstring(body)
    except DefusedXmlException as error:
        raise FeedError(f"The feed declares XML entities or external references, which "
                        f"Townhall refuses for safety ({type(error).__name__}).") from None
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise FeedError(f"The feed is not well-formed XML: the problem is at line {line}, "
                        f"column {column}.") from None
    if root.tag == f"{ATOM}feed":
        return _atom(root)
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise FeedError("The RSS document has no <channel> element.")
        return _rss(channel)
    if root.tag == f"{RDF}RDF":
        return _rdf(root)
    name = root.tag.split("}")[-1]
    raise FeedError(f"The document is not an RSS or Atom feed: its top element is <{name}>.")


def _rss(channel: Element) -> Feed:
    entries = []
    for item in channel.findall("item"):
        description = _text(item.find(f"{CONTENT}encoded")) or _text(item.find("description"))
        guid = _text(item.find("guid"))
        author = _text(item.find(f"{DC}creator")) or _text(item.find("author"))
        entries.append(FeedEntry(
            id=guid, title=html_text(_text(item.find("title"))), link=_text(item.find("link")),
            summary=html_text(description), author=author,
            published=parse_date(_text(item.find("pubDate")) or _text(item.find(f"{DC}date"))),
            categories=tuple(_text(c) for c in item.findall("category") if _text(c))))
    updated = parse_date(_text(channel.find("lastBuildDate")) or _text(channel.find("pubDate")))
    return Feed(kind="rss", title=_text(channel.find("title")), link=_text(channel.find("link")),
                updated=updated, entries=entries)


def _rdf(root: Element) -> Feed:
    channel = root.find(f"{RSS1}channel")
    entries = []
    for item in root.findall(f"{RSS1}item"):
        entries.append(FeedEntry(
            id=item.get(f"{RDF}about", "") or _text(item.find(f"{RSS1}link")),
            title=html_text(_text(item.find(f"{RSS1}title"))),
            link=_text(item.find(f"{RSS1}link")),
            summary=html_text(_text(item.find(f"{CONTENT}encoded"))
                              or _text(item.find(f"{RSS1}description"))),
            author=_text(item.find(f"{DC}creator")),
            published=parse_date(_text(item.find(f"{DC}date"))),
            categories=tuple(_text(s) for s in item.findall(f"{DC}subject") if _text(s))))
    return Feed(kind="rdf", title=_text(channel.find(f"{RSS1}title")) if channel is not None
                else "", link=_text(channel.find(f"{RSS1}link")) if channel is not None else "",
                updated=None, entries=entries)


def _atom_link(element: Element) -> str:
    links = element.findall(f"{ATOM}link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href", "").strip()
    return links[0].get("href", "").strip() if links else ""


def _atom_text(element: Element | None) -> str:
    """An Atom text construct: type text, html (escaped markup) or xhtml (inline markup)."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        return _tidy(" ".join(t.strip() for t in element.itertext()))
    if kind == "html" or kind.endswith("html"):
        return html_text(_text(element))
    return _tidy(_text(element))


def _atom(root: Element) -> Feed:
    feed_author = _text(root.find(f"{ATOM}author/{ATOM}name"))
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        summary = _atom_text(entry.find(f"{ATOM}summary")) or _atom_text(
            entry.find(f"{ATOM}content"))
        entries.append(FeedEntry(
            id=_text(entry.find(f"{ATOM}id")), title=_atom_text(entry.find(f"{ATOM}title")),
            link=_atom_link(entry), summary=summary,
            author=_text(entry.find(f"{ATOM}author/{ATOM}name")) or feed_author,
            published=parse_date(_text(entry.find(f"{ATOM}published"))
                                 or _text(entry.find(f"{ATOM}updated"))),
            categories=tuple(c.get("term", "").strip() for c in entry.findall(f"{ATOM}category")
                             if c.get("term", "").strip())))
    return Feed(kind="atom", title=_atom_text(root.find(f"{ATOM}title")), link=_atom_link(root),
                updated=parse_date(_text(root.find(f"{ATOM}updated"))), entries=entries)
