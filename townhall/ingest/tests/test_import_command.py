import csv
import json
from pathlib import Path

import pytest

from townhall.cli import main
from townhall.conftest import message_data
from townhall.inbox.models import Message


def write_jsonl(path: Path, lines: list) -> Path:
    with path.open("wb") as handle:
        for line in lines:
            handle.write(line if isinstance(line, bytes) else json.dumps(line).encode())
            handle.write(b"\n")
    return path


def test_it_imports_a_jsonl_file_and_reports_the_summary(council, tmp_path, capsys) -> None:
    path = write_jsonl(tmp_path / "history.jsonl", [
        message_data(platform_message_id=f"m{i}", text=f"Report number {i}") for i in range(5)
    ])
    assert main(["import", str(path), "--council", "afon"]) == 0
    out = capsys.readouterr().out
    assert "Created: 5" in out
    assert "Duplicates: 0" in out
    assert "Rejected: 0" in out
    assert Message.objects.count() == 5


def test_importing_the_same_file_twice_creates_nothing_the_second_time(council, tmp_path,
                                                                       capsys) -> None:
    path = write_jsonl(tmp_path / "history.jsonl", [
        message_data(platform_message_id=f"m{i}") for i in range(3)
    ])
    main(["import", str(path), "--council", "afon"])
    capsys.readouterr()
    assert main(["import", str(path), "--council", "afon"]) == 0
    out = capsys.readouterr().out
    assert "Created: 0" in out
    assert "Duplicates: 3" in out
    assert Message.objects.count() == 3


def test_it_reports_every_rejected_line_with_its_number(council, tmp_path, capsys,
                                                        settings) -> None:
    settings.TOWNHALL_MAX_BODY_BYTES = 2000
    path = write_jsonl(tmp_path / "mixed.jsonl", [
        message_data(platform_message_id="ok1"),
        b"{not json",
        message_data(platform_message_id="naive", created_at="2026-03-02T09:15:00"),
        b"\xff\xfe broken bytes",
        message_data(platform_message_id="big", text="x" * 5000),
        message_data(platform_message_id="nul", text="a\x00b"),
        message_data(platform_message_id="ok2"),
    ])
    assert main(["import", str(path), "--council", "afon"]) == 0
    out = capsys.readouterr().out
    assert "Created: 2" in out
    assert "Rejected: 5" in out
    assert "line 2: The line is not valid JSON" in out
    assert "line 3: 'created_at' must include a time zone" in out
    assert "line 4: The line is not valid UTF-8 text." in out
    assert "line 5: The line is" in out and "the limit is 2,000" in out
    assert "line 6: 'text' contains a NUL character" in out


def test_it_imports_csv_with_quoted_newlines_and_attachments(council, tmp_path, capsys) -> None:
    path = tmp_path / "history.csv"
    fields = ["platform", "channel", "platform_message_id", "author", "author_name", "text",
              "created_at", "direction", "thread_id", "in_reply_to", "attachments"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerow({**message_data(text="Line one\nLine two", thread_id="t1"),
                         "attachments": '[{"type": "image", "url": "https://x.invalid/1.jpg"}]'})
        writer.writerow({**message_data(platform_message_id="r1", direction="out",
                                        author="afoncouncil", thread_id="t1",
                                        created_at="2026-03-02T11:00:00+00:00",
                                        text="Thanks, passed to the crew. ^Sian")})
        writer.writerow({**message_data(platform_message_id="bad", created_at="")})
    assert main(["import", str(path), "--council", "afon"]) == 0
    out = capsys.readouterr().out
    assert "Created: 2" in out
    assert "line 5: 'created_at' is missing." in out
    first = Message.objects.get(platform_message_id="m1")
    assert first.text == "Line one\nLine two"
    assert first.attachments == [{"type": "image", "url": "https://x.invalid/1.jpg"}]
    assert first.conversation.message_count == 2


def test_it_fails_when_the_file_cannot_be_read(council, tmp_path, capsys) -> None:
    assert main(["import", str(tmp_path / "missing.jsonl"), "--council", "afon"]) == 2
    assert "Cannot open" in capsys.readouterr().err


def test_it_fails_for_an_unknown_council(db, tmp_path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [message_data()])
    with pytest.raises(SystemExit, match="No council has the slug 'nowhere'"):
        main(["import", str(path), "--council", "nowhere"])
