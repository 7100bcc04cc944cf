"""A trained model round-trips through its directory without pickle."""

import json
from pathlib import Path

import numpy as np
import pytest

from townhall.triage.nlp import ngrams
from townhall.triage.nlp.model import DEFAULT_CONFIDENCE_SCALE, TrainedModel, fit_confidence_scale, train
from townhall.triage.nlp.ngrams import NgramCounter, count_matrix, tfidf_rows

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


# Text that trips naive tokenisers: runs of mixed whitespace, one-letter words,
# Welsh and German letters whose lowercase differs, invisible characters.
AWKWARD = [
    "Pot-hole  on the\tHigh St.\n\nPlease fix!!",
    "a I x",
    "",
    "Gwasanaeth   ffyrdd: ŵ ŷ Ŵ",
    "İstanbul STRASSE straße",
    "zero\u200bwidth\u00a0nbsp and\u2003em space",
    "ab ab ab aaaaaa",
]


@pytest.mark.parametrize(("analyzer", "ngram_range"), [("word", (1, 2)), ("char_wb", (3, 5)), ("char_wb", (2, 5))])
def test_it_counts_n_grams_exactly_as_scikit_learn_does(analyzer: str, ngram_range: tuple[int, int]) -> None:
    from sklearn.feature_extraction.text import CountVectorizer

    reference = CountVectorizer(analyzer=analyzer, ngram_range=ngram_range).fit(AWKWARD + TEXTS)
    vocabulary = {term: int(i) for term, i in reference.vocabulary_.items()}
    counter = NgramCounter(vocabulary, analyzer=analyzer, ngram_range=ngram_range)
    ours = count_matrix([counter], [t.lower() for t in AWKWARD])
    assert (ours != reference.transform(AWKWARD)).nnz == 0


def test_it_weighs_terms_as_tfidf_with_sublinear_counts_does() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(TEXTS)
    vocabulary = {term: int(i) for term, i in reference.vocabulary_.items()}
    counter = NgramCounter(vocabulary, analyzer="char_wb", ngram_range=(3, 5))
    ours = tfidf_rows(count_matrix([counter], [t.lower() for t in AWKWARD]), reference.idf_, [0, len(vocabulary)])
    assert np.allclose(ours.toarray(), reference.transform(AWKWARD).toarray(), atol=1e-6)


def test_it_builds_a_large_batch_in_chunks_with_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    model = train(TEXTS, LABELS)
    probe = AWKWARD + TEXTS
    whole = model.decision(probe)
    monkeypatch.setattr(ngrams, "CHUNK", 4)
    assert np.allclose(model.decision(probe), whole, atol=1e-6)


def test_it_fits_the_confidence_scale_that_matches_how_often_it_is_right() -> None:
    # Labels drawn from a softmax of the scores at a known scale: the fitted
    # scale must find it again, so that a confidence of 0.8 is right 8 times in 10.
    rng = np.random.default_rng(3)
    scores = rng.normal(size=(6000, 5))
    probabilities = np.exp(1.7 * scores)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    truth = [int(rng.choice(5, p=row)) for row in probabilities]
    assert fit_confidence_scale(scores, truth) == pytest.approx(1.7, abs=0.15)


def test_it_ignores_labels_the_model_does_not_know_when_fitting_the_scale() -> None:
    scores = np.array([[2.0, 0.0], [0.0, 2.0], [1.0, 0.0]])
    assert fit_confidence_scale(scores, [-1, -1, -1]) == DEFAULT_CONFIDENCE_SCALE
    assert fit_confidence_scale(scores, [0, 1, -1]) > 5  # always right: as sure as it can be


def test_it_keeps_its_confidence_scale_and_reads_older_models_with_the_old_one(tmp_path: Path) -> None:
    model = train(TEXTS, LABELS, meta={"confidence_scale": 1.25})
    model.save(tmp_path)
    assert TrainedModel.load(tmp_path).confidence_scale == 1.25
    header = json.loads((tmp_path / "model.json").read_text())
    del header["meta"]["confidence_scale"]
    (tmp_path / "model.json").write_text(json.dumps(header))
    older = TrainedModel.load(tmp_path)
    assert older.confidence_scale == DEFAULT_CONFIDENCE_SCALE
    scores = older.decision(["the lamp is dark"])[0]
    expected = 1 / np.exp(DEFAULT_CONFIDENCE_SCALE * (scores - scores.max())).sum()
    assert older.predict(["the lamp is dark"])[0].confidence == pytest.approx(expected, abs=1e-3)
