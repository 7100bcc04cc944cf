"""The Welsh catalogue: the committed .mo is the .po compiled, and no translation breaks
a placeholder. `make messages` brings both files up to date."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from townhall.core.testing.pofile import Entry, catalogue, read_po

LC_MESSAGES = Path(settings.BASE_DIR) / "townhall" / "locale" / "cy" / "LC_MESSAGES"
PO, MO = LC_MESSAGES / "django.po", LC_MESSAGES / "django.mo"

# %(name)s and %s for Python's % operator, {name} for str.format.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[sd]|\{\w*\}")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_it_ships_the_welsh_mo_compiled_from_the_current_po() -> None:
    with MO.open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)._catalog  # type: ignore[attr-defined]
    expected = catalogue(read_po(PO))
    differ = {key for key in expected.keys() | compiled.keys()
              if expected.get(key) != compiled.get(key)}
    stale = sorted(repr(key)[:80] for key in differ)
    assert not stale, (f"django.mo does not match django.po in {len(stale)} entries, such as "
                       f"{stale[:3]}. Run `make messages` and commit both files.")


def test_it_has_a_welsh_translation_for_the_page_chrome() -> None:
    translations = catalogue(read_po(PO))
    for english in ("Skip to main content", "Inbox", "Sign in", "Sign out", "Page not found",
                    "This link does not work"):
        assert translations.get(english), f"{english!r} has no Welsh translation"


def test_it_gives_the_welsh_header_the_plural_rule_for_welsh() -> None:
    header = catalogue(read_po(PO))[""]
    assert "Language: cy\n" in header
    assert "Plural-Forms: nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : " in header


def test_no_translation_loses_or_invents_a_placeholder() -> None:
    broken = []
    for entry in read_po(PO):
        if not entry.msgid or not entry.is_translated:
            continue
        for index, text in enumerate(entry.msgstr):
            source = entry.msgid if index == 0 or entry.msgid_plural is None else \
                entry.msgid_plural
            if placeholders(text) != placeholders(source):
                broken.append(f"line {entry.line}: {entry.msgid[:50]!r}")
    assert broken == []


def test_a_plural_is_translated_in_every_form_or_none() -> None:
    def half_done(entry: Entry) -> bool:
        return any(entry.msgstr) and not all(entry.msgstr)

    assert [entry.msgid for entry in read_po(PO) if half_done(entry)] == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_msgfmt_accepts_the_po_with_every_check() -> None:
    result = subprocess.run(["msgfmt", "--check", "--output-file=/dev/null", str(PO)],  # noqa: S603,S607
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
