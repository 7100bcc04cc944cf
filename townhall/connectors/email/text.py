"""Email bodies as readable text: HTML flattened, quoted reply history trimmed.

Plain Python with no Django import, so the rules can be tested on their own.
"""

import re
from html.parser import HTMLParser

# Tags whose content is never shown to a reader.
_HIDDEN = {"head", "style", "script", "title", "template"}
# Tags that start a new line of their own.
_BLOCKS = {"p", "div", "table", "tr", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
           "blockquote", "pre", "section", "article", "header", "footer", "address", "hr"}


class _Flatten(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.quoted = 0
        self.href: str | None = None
        self.link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self._out("\n")
        elif tag == "li":
            self._out("\n- ")
        elif tag in ("td", "th"):
            self._out(" ")
        elif tag == "a":
            self.href = dict(attrs).get("href") or None
            self.link_text = []
        elif tag in _BLOCKS:
            self._out("\n\n")
        # Mail clients put the earlier message in a blockquote (Gmail adds a
        # gmail_quote div too); its lines are marked so trimming drops them.
        if tag == "blockquote":
            self.quoted += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "a" and self.href is not None:
            text = "".join(self.link_text).strip()
            href = self.href
            self.href = None
            if href.startswith(("http://", "https://")) and href != text:
                self._out(f" ({href})")
        elif tag in _BLOCKS:
            self._out("\n\n")
        if tag == "blockquote":
            self.quoted = max(0, self.quoted - 1)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        text = re.sub(r"\s+", " ", data)
        if self.href is not None:
            self.link_text.append(text)
        self._out(text)

    def _out(self, text: str) -> None:
        if self.quoted and text:
            text = text.replace("\n", "\n> ")
            if not self.parts or self.parts[-1].endswith("\n"):
                text = "> " + text
        self.parts.append(text)


def html_to_text(html: str) -> str:
    """Readable text from an HTML body: paragraphs and line breaks kept, links shown
    with their address, styles and scripts dropped."""
    parser = _Flatten()
    parser.feed(html or "")
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# "On Tue, 3 Mar 2026 at 10:00, Afon Council <contact@afon.gov.uk> wrote:", possibly
# wrapped over two lines, and the Welsh form Gmail uses ("Ar ... ysgrifennodd ...:").
# A date always has a digit, which keeps "On Monday I wrote:" in a resident's own words.
_ATTRIBUTION = re.compile(
    r"^(?=.*\d)(?:On\s.{0,300}?\swrote|Ar\s.{0,300}?\sysgrifennodd.{0,120}?)\s*:\s*$",
    re.IGNORECASE | re.DOTALL)
# Outlook and others put the earlier message under a divider or a header block.
_DIVIDERS = re.compile(
    r"^(?:-{2,}\s*(?:Original Message|Forwarded message|Neges Wreiddiol)\s*-{2,}|_{10,})\s*$",
    re.IGNORECASE)
_OUTLOOK_FROM = re.compile(r"^(?:From|Oddi wrth|Gan):\s", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^(?:Sent|Date|Anfonwyd|Dyddiad):\s", re.IGNORECASE)


def _history_starts(lines: list[str]) -> int | None:
    """The line where the quoted earlier message begins, if there is one."""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if _DIVIDERS.match(stripped):
            return index
        if _ATTRIBUTION.match(stripped):
            return index
        nxt = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if stripped.lower().startswith(("on ", "ar ")) and _ATTRIBUTION.match(
                f"{stripped} {nxt}"):
            return index
        if _OUTLOOK_FROM.match(stripped) and _OUTLOOK_NEXT.match(nxt):
            return index
    return None


def trim_quoted(text: str) -> str:
    """What the sender wrote now, without the history their mail program quoted.

    Lines starting with ">" go wherever they are (so answers written between quotes
    stay); everything from an "On ... wrote:" line or an Outlook "From:/Sent:" block
    onwards goes. If trimming would leave nothing, the text is kept as it came.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _history_starts(lines)
    if start is not None:
        lines = lines[:start]
    kept = [line for line in lines if not line.lstrip().startswith(">")]
    trimmed = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in kept)).strip()
    return trimmed or text.strip()
