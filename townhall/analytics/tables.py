"""Tables: what every chart is drawn from, what the page shows beside it, what CSV exports.

One structure for the three, so a number on a chart, in its table and in the download
can never disagree.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


@dataclass
class Cell:
    text: str
    # The raw value for CSV (a number, or the text when there is none).
    value: Any = None
    # The conversations behind the figure.
    url: str = ""
    numeric: bool = False

    @property
    def export(self) -> Any:
        return self.text if self.value is None else self.value


@dataclass
class Table:
    slug: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    # Under the table: what the figures mean, in a sentence.
    note: str = ""
    chart: Any = None

    def add(self, *cells: Cell | str) -> None:
        self.rows.append([c if isinstance(c, Cell) else Cell(str(c)) for c in cells])

    @property
    def numeric_columns(self) -> list[bool]:
        """Per column, whether every body cell in it is a number (right-aligned)."""
        width = len(self.columns)
        return [bool(self.rows) and all(len(r) > n and r[n].numeric for r in self.rows)
                for n in range(width)]

    @property
    def html(self) -> SafeString:
        return self._html(links=True)

    @property
    def print_html(self) -> SafeString:
        return self._html(links=False)

    def _html(self, *, links: bool) -> SafeString:
        """The GOV.UK table. Built here rather than in a template: a year's dashboard has
        thousands of cells, and this is about four times quicker than a template loop."""
        numeric = self.numeric_columns
        head = "".join(
            f'<th scope="col" class="govuk-table__header'
            f'{" govuk-table__header--numeric" if n and numeric[n] else ""}">{escape(c)}</th>'
            for n, c in enumerate(self.columns))
        body = []
        for row in self.rows:
            cells = [f'<th scope="row" class="govuk-table__header">{escape(row[0].text)}</th>']
            for cell in row[1:]:
                text: str = escape(cell.text)
                if cell.url and links:
                    text = f'<a class="govuk-link" href="{escape(cell.url)}">{text}</a>'
                kind = " govuk-table__cell--numeric" if cell.numeric else ""
                cells.append(f'<td class="govuk-table__cell{kind}">{text}</td>')
            body.append(f'<tr class="govuk-table__row">{"".join(cells)}</tr>')
        if not body:
            body.append(f'<tr class="govuk-table__row"><td class="govuk-table__cell" '
                        f'colspan="{len(self.columns)}">'
                        f'{escape(_("Nothing to show for these dates and filters."))}</td></tr>')
        caption = escape(self.caption)
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<div class="th-table-scroll" style="overflow-x: auto" tabindex="0" '
            f'role="region" aria-label="{caption}"><table class="govuk-table">'
            f'<caption class="govuk-table__caption govuk-visually-hidden">{caption}</caption>'
            f'<thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr>'
            f'</thead><tbody class="govuk-table__body">{"".join(body)}</tbody></table></div>')


@dataclass
class Section:
    slug: str
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)


def count(value: int, url: str = "") -> Cell:
    return Cell(f"{value:,}", value, url, numeric=True)


def share(part: int, whole: int, url: str = "") -> Cell:
    """A percentage cell; a dash when there is nothing to divide by."""
    if not whole:
        return Cell("–", None, "", numeric=True)
    value = part / whole
    return Cell(f"{value:.0%}", round(value * 100, 1), url, numeric=True)


def _safe(value: Any) -> Any:
    """Stop a spreadsheet treating a text cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(tables: Iterable[Table], out: io.StringIO | None = None) -> str:
    """Tables one after another: a title line, the header, the rows, a blank line."""
    buffer = out or io.StringIO()
    writer = csv.writer(buffer)
    many = isinstance(tables, list) and len(tables) > 1
    for table in tables:
        if many:
            writer.writerow([_safe(table.caption)])
        writer.writerow([_safe(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([_safe(c.export) for c in row])
        if many:
            writer.writerow([])
    return buffer.getvalue()
