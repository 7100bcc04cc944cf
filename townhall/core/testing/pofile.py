"""A small reader for gettext .po files, enough for Townhall's own catalogues.

The tests use it to check that the committed .mo matches its .po, and that
translations keep their placeholders, without GNU gettext's tools, which a fresh
Debian machine may not have.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_translated(self) -> bool:
        """What msgfmt puts in the .mo: every form filled in, and not marked fuzzy."""
        return bool(self.msgstr) and all(self.msgstr) and "fuzzy" not in self.flags

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def _unquote(text: str, line: int) -> str:
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"line {line}: expected a quoted string, got {text!r}")
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
                raise ValueError(f"line {line}: unknown escape in {text!r}")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def read_po(path: Path) -> list[Entry]:
    """Every live entry in the file, header first; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None  # the field a continuation line extends

    def finish() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            if target is not None:
                finish()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            if target is not None:
                finish()
        elif line.startswith('"'):
            if target is None:
                raise ValueError(f"line {number}: a string outside any entry")
            _extend(entry, target, _unquote(line, number))
        else:
            match = _KEYWORD.match(line)
            if match is None:
                raise ValueError(f"line {number}: cannot read {raw!r}")
            keyword, index, text = match.groups()
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()
            if not entry.line:
                entry.line = number
            name = "msgstr" if keyword.startswith("msgstr") else keyword
            target = (name, int(index or 0))
            if name == "msgstr" and len(entry.msgstr) != target[1]:
                raise ValueError(f"line {number}: msgstr forms out of order")
            _set(entry, target, _unquote(text, number))
    finish()
    return entries


def _set(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, _index = target
    if name == "msgstr":
        entry.msgstr.append(text)
    else:
        setattr(entry, name, text)


def _extend(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += text
    else:
        setattr(entry, name, getattr(entry, name) + text)


def catalogue(entries: list[Entry]) -> dict[str | tuple[str, int], str]:
    """The entries msgfmt would compile, keyed as Python's gettext keys its catalogue."""
    found: dict[str | tuple[str, int], str] = {}
    for entry in entries:
        if entry.key == "" and entry.msgstr:
            # msgfmt keeps the header even when it is marked fuzzy, without the line
            # makemessages rewrites on every run.
            found[""] = "".join(line for line in entry.msgstr[0].splitlines(keepends=True)
                                if not line.startswith("POT-Creation-Date:"))
        elif not entry.is_translated:
            continue
        elif entry.msgid_plural is None:
            found[entry.key] = entry.msgstr[0]
        else:
            for index, text in enumerate(entry.msgstr):
                found[(entry.key, index)] = text
    return found
