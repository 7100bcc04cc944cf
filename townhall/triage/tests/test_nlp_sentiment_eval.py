"""`townhall triage eval --sentiment` and the offline fit, on files written by the test."""

import csv
import importlib.util
import json
from pathlib import Path

import pytest

from townhall.triage.cli import main
from townhall.triage.nlp import sentiment_fit
from townhall.triage.nlp.sentiment import FEATURES, LABELS, signals
from townhall.triage.nlp.sentiment_eval import half

ROWS = [
    ("@council bins missed again, third week running", "negative"),
    ("@railco train cancelled and no one told us", "negative"),
    ("@telco on hold for an hour, useless", "Negative"),
    ("@council what day is green bin collection?", "neutral"),
    ("@busco is the number 12 running today?", "neutral"),
    ("@council how do I apply for a blue badge?", "neu"),
    ("@council thanks for fixing the streetlight so quickly", "positive"),
    ("@bank great service, sorted in minutes", "positive"),
    ("@council the park looks lovely, well done", "pos"),
    ("@council first!", "irrelevant"),
]


def _write(path: Path, rows: list[tuple[str, str]], columns: tuple[str, str] = ("text", "label_name")) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)


def test_it_reports_sentiment_macro_f1_and_skips_other_labels(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "tweets.csv"
    _write(source, ROWS)
    assert main(["triage", "eval", "--sentiment", "--input", str(source), "--label-column", "label_name",
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == 9
    assert report["skipped_rows"] == 1
    assert report["labels"] == list(LABELS)
    assert report["macro_f1"] >= 0.8
    assert report["microseconds_per_message"] > 0


def test_it_prints_a_readable_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "tweets.csv"
    _write(source, ROWS)
    assert main(["triage", "eval", "--sentiment", "--input", str(source), "--label-column", "label_name"]) == 0
    out = capsys.readouterr().out
    assert "macro-F1=" in out
    assert "1 rows with other labels skipped" in out
    assert "confusion" in out


def test_half_keeps_only_the_rows_of_that_half(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "tweets.csv"
    _write(source, ROWS)
    held = sum(half(text) == "held" for text, label in ROWS if label != "irrelevant")
    assert 0 < held < 9
    assert main(["triage", "eval", "--sentiment", "--input", str(source), "--label-column", "label_name",
                 "--half", "held", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == held


def test_the_split_is_fixed() -> None:
    # The same text always falls in the same half, run after run.
    assert [half(text) for text, _ in ROWS] == [half(text) for text, _ in ROWS]
    assert {half(text) for text, _ in ROWS} == {"tune", "held"}


def test_a_missing_column_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "tweets.csv"
    _write(source, ROWS, columns=("tweet", "label_name"))
    assert main(["triage", "eval", "--sentiment", "--input", str(source), "--label-column", "label_name"]) == 2
    assert "has no column text" in capsys.readouterr().err


def test_a_file_without_sentiment_labels_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "tweets.csv"
    _write(source, [("@council hello", "bins"), ("@council hi", "roads")])
    assert main(["triage", "eval", "--sentiment", "--input", str(source), "--label-column", "label_name"]) == 2
    assert "no rows labelled negative, neutral or positive" in capsys.readouterr().err


def test_the_fit_writes_a_weights_module_that_loads(tmp_path: Path) -> None:
    source = tmp_path / "tweeteval.csv"
    # Enough rows of each label that both halves hold some.
    rows = [(f"{text} #{i}", label) for i in range(12) for text, label in ROWS if label in LABELS]
    _write(source, rows)
    target = tmp_path / "weights.py"
    assert sentiment_fit.main(["--tweeteval", str(source), "--output", str(target)]) == 0
    spec = importlib.util.spec_from_file_location("fitted_weights", target)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.BIASES) == set(LABELS)
    assert all(len(module.WEIGHTS[label]) == len(FEATURES) for label in LABELS)
    tuned = sum(half(text) == "tune" for text, _ in rows)
    assert f"Fitted on {tuned} tweets" in target.read_text(encoding="utf-8")


    def best(text: str) -> str:
        x = signals(text)
        logits = {label: module.BIASES[label] + sum(w * v for w, v in zip(module.WEIGHTS[label], x, strict=True))
                  for label in LABELS}
        return max(logits, key=lambda label: logits[label])

    assert best("@council useless, still waiting, third week running") == "negative"
    assert best("@council thank you, brilliant service") == "positive"


def test_the_fit_refuses_a_file_without_labelled_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "tweeteval.csv"
    _write(source, [("@council hello", "bins")])
    assert sentiment_fit.main(["--tweeteval", str(source)]) == 2
    assert "no labelled tuning rows" in capsys.readouterr().err
