"""A trained model round-trips through its directory without pickle."""

import json
from pathlib import Path

import numpy as np
import pytest

from townhall.triage.nlp.model import TrainedModel, train

TEXTS = ["pothole in road", "deep pothole", "road surface hole", "light out", "lamp not working",
         "street light dark", "bin missed", "recycling not collected", "bin not emptied"] * 3
LABELS = ["roads", "roads", "roads", "lights", "lights", "lights", "bins", "bins", "bins"] * 3


def test_it_predicts_the_same_after_saving_and_loading(tmp_path: Path) -> None:
    model = train(TEXTS, LABELS)
    model.save(tmp_path)
    loaded = TrainedModel.load(tmp_path)
    probe = ["the lamp is dark", "a hole in the road", "my bin was missed"]
    assert [p.label for p in loaded.predict(probe)] == ["lights", "roads", "bins"]
    assert np.allclose(model.decision(probe), loaded.decision(probe), atol=1e-5)


def test_it_stores_no_pickled_objects(tmp_path: Path) -> None:
    train(TEXTS, LABELS).save(tmp_path)
    with np.load(tmp_path / "weights.npz", allow_pickle=False) as weights:
        assert all(weights[k].dtype != object for k in weights.files)
    assert json.loads((tmp_path / "model.json").read_text())["labels"] == ["bins", "lights", "roads"]


def test_it_refuses_a_directory_that_is_not_a_model(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(ValueError, match="not a Townhall triage model"):
        TrainedModel.load(tmp_path)
