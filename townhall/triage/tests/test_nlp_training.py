"""`triage train`: checked on held-back rows, then refitted on every row."""

import csv
import json
from pathlib import Path

import pytest

from townhall.triage.cli import main
from townhall.triage.nlp.model import TrainedModel
from townhall.triage.nlp.training import split_rows

ROWS = {
    "potholes": ["big pothole in the road", "pothole outside the shop", "deep hole in the road surface",
                 "road surface broken up", "pothole damaged my tyre", "potholes all along the lane",
                 "crater in the carriageway", "pothole by the bus stop"],
    "lights": ["street light not working", "lamp post light is out", "street lamp flickering all night",
               "dark road, light out", "street light on all day", "broken lamp on the corner",
               "lamp column leaning", "no street lighting in the alley"],
    "bins": ["bin not collected", "recycling bin missed again", "missed collection this week",
             "bin men skipped our road", "food waste bin not emptied", "wheelie bin not collected",
             "garden waste bin missed", "bins left out after collection"],
    "dead_animal": ["dead fox on the pavement", "dead pigeon by the door", "dead fox in the road",
                    "dead cat in the gutter"],
}


def _write(path: Path, *, holdout: float = 0.5) -> int:
    """The training file, with every dead animal among the rows `train` holds back."""
    common = [(text, label) for label, texts in ROWS.items() if label != "dead_animal" for text in texts]
    rare = [(text, "dead_animal") for text in ROWS["dead_animal"]]
    total = len(common) + len(rare)
    held = sorted(split_rows(total, holdout)[1])[: len(rare)]
    rows: list[tuple[str, str] | None] = [None] * total
    for position, row in zip(held, rare, strict=True):
        rows[position] = row
    others = iter(common)
    rows = [row or next(others) for row in rows]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "detail", "group"])
        writer.writerows((text, "please sort it out", label) for text, label in rows)
    return total


def _train(data: Path, model_dir: Path, *extra: str) -> int:
    return main(["triage", "train", "--input", str(data), "--text-columns", "title,detail",
                 "--label-column", "group", "--output", str(model_dir), *extra])


def test_it_reports_on_held_back_rows_then_keeps_a_model_fitted_on_every_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, model_dir = tmp_path / "train.csv", tmp_path / "model"
    total = _write(data)
    assert _train(data, model_dir, "--holdout", "0.5", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == total // 2
    # Every dead animal was held back, so the checked model could not name one;
    # the saved model, refitted on every row, can.
    assert report["per_class"]["dead_animal"]["support"] == len(ROWS["dead_animal"])
    assert report["per_class"]["dead_animal"]["recall"] == 0.0
    model = TrainedModel.load(model_dir)
    assert model.meta["n_train"] == total
    assert model.meta["validation"]["n"] == total // 2
    assert model.predict(["a dead fox lying on the pavement"])[0].label == "dead_animal"


def test_it_sets_how_sure_the_model_says_it_is_from_the_held_back_rows(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, model_dir = tmp_path / "train.csv", tmp_path / "model"
    _write(data)
    assert _train(data, model_dir, "--holdout", "0.3") == 0
    printed = capsys.readouterr().out
    assert "held-back rows" in printed and "confidence: scale" in printed
    model = TrainedModel.load(model_dir)
    assert model.confidence_scale == json.loads((model_dir / "model.json").read_text())["meta"]["confidence_scale"]
    confidence = model.predict(["street lamp is out"])[0].confidence
    assert 0.0 < confidence <= 1.0


def test_it_refuses_a_file_with_a_single_label_and_writes_no_model(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, model_dir = tmp_path / "train.csv", tmp_path / "model"
    data.write_text("title,detail,group\n" + "".join(f"pothole {i},deep,potholes\n" for i in range(10)),
                    encoding="utf-8")
    assert _train(data, model_dir) == 2
    assert "two different labels" in capsys.readouterr().err
    assert not model_dir.exists()
