"""The triage commands end to end on files written by the test."""

import csv
import json
from pathlib import Path

import pytest

from townhall.triage.cli import main
from townhall.triage.nlp.pipeline import OUTPUT_KEYS

EXAMPLES = {
    "potholes": [
        "big pothole in the road",
        "pothole outside the shop",
        "deep hole in the road surface",
        "road surface broken up",
        "pothole damaged my tyre",
        "potholes all along the lane",
    ],
    "lights": [
        "street light not working",
        "lamp post light is out",
        "street lamp flickering all night",
        "dark road, light out",
        "street light on all day",
        "broken lamp on the corner",
    ],
    "bins": [
        "bin not collected",
        "recycling bin missed again",
        "missed collection this week",
        "bin men skipped our road",
        "food waste bin not emptied",
        "wheelie bin not collected",
    ],
}


def _write_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["title", "detail", "group"])
        writer.writeheader()
        for label, texts in EXAMPLES.items():
            for i, text in enumerate(texts * 4):
                writer.writerow({"title": text, "detail": f"reported {i} times", "group": label})


def test_it_runs_end_to_end_and_survives_a_malformed_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps({"id": "1", "text": "dead fox on the pavement", "platform": "x"}),
                '{"id": "2", "text": broken json',
                json.dumps({"id": "3"}),
                json.dumps({"id": "4", "text": "dw i eisiau lladd fy hun", "created_at": "2026-01-01T10:00:00Z"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    assert main(["triage", "run", "--input", str(source), "--output", str(target)]) == 0
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [line.get("id") for line in lines] == ["1", None, "3", "4"]
    assert tuple(lines[0]) == OUTPUT_KEYS and lines[0]["category"] == "dead_animal"
    for broken in lines[1:3]:
        assert "error" in broken and broken["priority"] == "critical"
        assert broken["safeguarding_reasons"] == ["triage_failed"]
    assert lines[3]["safeguarding"] and lines[3]["language"] == "cy"
    assert "line 2" in capsys.readouterr().err


def test_it_trains_saves_and_evaluates_a_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, model_dir = tmp_path / "train.csv", tmp_path / "model"
    _write_csv(data)
    assert (
        main(
            [
                "triage",
                "train",
                "--input",
                str(data),
                "--text-columns",
                "title,detail",
                "--label-column",
                "group",
                "--output",
                str(model_dir),
            ]
        )
        == 0
    )
    assert "accuracy" in capsys.readouterr().out
    assert sorted(p.name for p in model_dir.iterdir()) == ["model.json", "weights.npz"]
    assert (
        main(
            [
                "triage",
                "eval",
                "--input",
                str(data),
                "--text-columns",
                "title,detail",
                "--label-column",
                "group",
                "--model",
                str(model_dir),
                "--json",
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["accuracy"] >= 0.9 and set(report["labels"]) == set(EXAMPLES)
    assert len(report["confusion"]) == 3


def test_it_runs_with_a_trained_model(tmp_path: Path) -> None:
    data, model_dir = tmp_path / "train.csv", tmp_path / "model"
    _write_csv(data)
    main(
        [
            "triage",
            "train",
            "--input",
            str(data),
            "--text-columns",
            "title,detail",
            "--label-column",
            "group",
            "--output",
            str(model_dir),
        ]
    )
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "the street lamp is out"}) + "\n", encoding="utf-8")
    assert main(["triage", "run", "--input", str(source), "--output", str(target), "--model", str(model_dir)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["category"] == "lights"


def test_it_evaluates_the_built_in_classifier_without_a_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "test.jsonl"
    rows = [
        {"text": "dog poo all over the path", "label": "dog_fouling"},
        {"text": "graffiti sprayed on the shop shutters", "label": "graffiti_flyposting"},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert main(["triage", "eval", "--input", str(data), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accuracy"] == 1.0
