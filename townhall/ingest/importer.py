"""Read a JSONL or CSV file of messages in batches, for `townhall import`.

Lines are read and stored a batch at a time, so memory stays flat however big the
file is. A bad line is reported with its number and never stops the others.
"""

import csv
import gc
import io
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from townhall.core.models import Council
from townhall.ingest.items import IncomingItem, ItemError, parse_item
from townhall.ingest.models import Source
from townhall.ingest.services import IngestResult, items_ingest, make_channel_cache

BATCH_SIZE = 1000


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class ImportSummary:
    created: int = 0
    duplicates: int = 0
    conflicts: int = 0
    failed: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    lines: int = 0


def _detect_format(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    return "jsonl" if head.lstrip().startswith(b"{") else "csv"


def _jsonl_rows(stream: BinaryIO, limit: int) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(stream, start=1):
        if len(line) > limit:
            yield number, ItemError(f"The line is {len(line):,} bytes; the limit is {limit:,}.")
            continue
        if not line.strip():
            continue
        try:
            yield number, json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            yield number, ItemError("The line is not valid UTF-8 text.")
        except json.JSONDecodeError as error:
            yield number, ItemError(f"The line is not valid JSON ({error.msg}).")


def _csv_rows(stream: BinaryIO, limit: int) -> Iterator[tuple[int, Any]]:
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
    try:
        yield from _csv_reader_rows(text, limit)
    finally:
        # Detach so closing the wrapper does not close the file we still report on.
        text.detach()


def _csv_reader_rows(text: io.TextIOWrapper, limit: int) -> Iterator[tuple[int, Any]]:
    csv.field_size_limit(limit)
    reader = csv.DictReader(text)
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise ImportFileError("The CSV file has no header row with a 'text' column.")
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield start, ItemError(f"The row cannot be read as CSV ({error}).")
            continue
        if any(isinstance(v, str) and _has_surrogates(v) for v in row.values()):
            yield start, ItemError("The row is not valid UTF-8 text.")
            continue
        if None in row:
            yield start, ItemError("The row has more fields than the header.")
            continue
        yield start, row


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def import_file(
    *, council: Council, path: Path, max_line_bytes: int,
    on_progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    try:
        stream = path.open("rb")
    except OSError as error:
        raise ImportFileError(f"Cannot open {path}: {error.strerror}.") from None
    summary = ImportSummary()
    channels = make_channel_cache(council)
    with stream, _few_collections():
        fmt = _detect_format(path, stream.peek(64)[:64] if hasattr(stream, "peek") else b"")
        rows = _jsonl_rows(stream, max_line_bytes) if fmt == "jsonl" else _csv_rows(
            stream, max_line_bytes)
        batch: list[IncomingItem] = []
        for number, row in rows:
            summary.lines = number
            try:
                if isinstance(row, ItemError):
                    raise row
                batch.append(parse_item(row))
            except ItemError as error:
                summary.rejected.append((number, str(error)))
            if len(batch) >= BATCH_SIZE:
                _flush(council, batch, channels, summary)
                batch = []
                if on_progress:
                    on_progress(stream.tell())
        _flush(council, batch, channels, summary)
        if on_progress:
            on_progress(stream.tell())
    return summary


@contextmanager
def _few_collections() -> Iterator[None]:
    """Collect garbage less often while importing.

    An import allocates many short-lived objects; with the default thresholds the
    collector keeps re-scanning the long-lived ones, which measured at a third of the
    run time. Objects alive now are frozen out of collection, and the threshold raised.
    """
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


def _flush(council: Council, batch: list[IncomingItem], channels: Any,
           summary: ImportSummary) -> None:
    if not batch:
        return
    result: IngestResult = items_ingest(
        council=council, items=batch, source=Source.IMPORT, channels=channels
    )
    summary.created += result.created
    summary.duplicates += result.duplicates
    summary.conflicts += result.conflicts
    summary.failed += result.failed


def file_size(path: Path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
