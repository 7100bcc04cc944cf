"""Reading labelled examples from CSV or JSONL for train and eval."""

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Free-text fields in exports can be long; the csv default limit is 128 KiB.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    row: dict[str, str]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    yield {k: "" if v is None else str(v) for k, v in record.items()}
    else:
        with path.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)


def join_columns(row: dict[str, str], columns: list[str], first_weight: int = 1) -> str:
    """Join text columns; the first (usually a title) can be repeated to weigh more."""
    parts = [(row.get(c) or "").strip() for c in columns]
    if parts and first_weight > 1 and len(parts) > 1:
        parts = [parts[0]] * first_weight + parts[1:]
    return " . ".join(p for p in parts if p)


def read_examples(path: Path, *, text_columns: list[str], label_column: str,
                  first_weight: int = 1) -> list[Example]:
    examples = []
    for row in _rows(path):
        missing = [c for c in [*text_columns, label_column] if c not in row]
        if missing:
            raise ValueError(f"{path} has no column {', '.join(missing)}")
        label = (row.get(label_column) or "").strip()
        if label:
            examples.append(Example(join_columns(row, text_columns, first_weight), label, row))
    return examples
