"""A council's own trained classifier: TF-IDF word and character n-grams + linear SVM.

Saved as JSON (vocabularies, labels, settings) and an .npz of plain arrays read
with allow_pickle=False, so loading a model directory cannot run code.
Prediction counts n-grams with nlp/ngrams.py (numpy and scipy only), which reads
text exactly as scikit-learn's vectorisers did when the vocabulary was fitted.
scikit-learn is imported only inside the training functions: it is slow to
import, and neither `triage run` nor loading a model needs it.
"""

import json
import math
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from townhall.triage.nlp.default_classifier import Prediction
from townhall.triage.nlp.ngrams import NgramCounter, count_matrix, fit_vocabulary, tfidf_rows

FORMAT = "townhall-triage-linear/1"
WORD: dict[str, Any] = {"analyzer": "word", "ngram_range": (1, 2), "min_df": 2, "max_df": 0.5}
CHAR: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (3, 5), "min_df": 3, "max_features": 300000}
MAX_CHARS = 4000
CHAR_SAMPLE = 30000
# Confidence is the softmax of the SVM margins times this scale. Training fits
# the scale on held-back rows (docs/decisions/0102); models saved before that
# have no fitted scale and keep the fixed one they were made with.
DEFAULT_CONFIDENCE_SCALE = 2.5


class TrainedModel:
    def __init__(
        self,
        *,
        labels: list[str],
        vocabularies: list[dict[str, int]],
        idfs: list[np.ndarray],
        coef: np.ndarray,
        intercept: np.ndarray,
        meta: dict[str, Any],
    ) -> None:
        self.labels = labels
        self.vocabularies = vocabularies
        self.idfs = [idf.astype(np.float32) for idf in idfs]
        # Kept as (terms x labels) in C order, since sparse rows times such a matrix
        # is scipy's fast case; `coef` is the (labels x terms) view of it.
        self._coef_t = np.ascontiguousarray(coef.T, dtype=np.float32)
        self.coef = self._coef_t.T
        self.intercept = intercept.astype(np.float32)
        self.meta = meta
        self.confidence_scale = float(meta.get("confidence_scale", DEFAULT_CONFIDENCE_SCALE))
        self._counters = _counters(vocabularies)
        self._bounds = _bounds(vocabularies)
        self._idf = np.concatenate(self.idfs) if self.idfs else np.zeros(0, dtype=np.float32)

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        lowered = [t[:MAX_CHARS].lower() for t in texts]
        features = tfidf_rows(count_matrix(self._counters, lowered), self._idf, self._bounds)
        return _two_columns(np.asarray(features @ self._coef_t) + self.intercept)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        if not texts:
            return []
        scores = self.decision(texts)
        best = scores.argmax(axis=1)
        confidence = top_probability(scores, self.confidence_scale)
        labels = self.labels
        return [Prediction(labels[i], round(float(p), 3)) for i, p in zip(best, confidence, strict=True)]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        vocab_lists = [[""] * len(v) for v in self.vocabularies]
        for lst, vocab in zip(vocab_lists, self.vocabularies, strict=True):
            for term, index in vocab.items():
                lst[index] = term
        meta = {**self.meta, "confidence_scale": self.confidence_scale}
        header = {"format": FORMAT, "labels": self.labels, "vocabularies": vocab_lists, "meta": meta}
        (directory / "model.json").write_text(json.dumps(header, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(
            directory / "weights.npz",
            coef=self.coef,
            intercept=self.intercept,
            idf_word=self.idfs[0],
            idf_char=self.idfs[1],
        )

    @classmethod
    def load(cls, directory: Path) -> "TrainedModel":
        header = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        if header.get("format") != FORMAT:
            raise ValueError(f"{directory} is not a Townhall triage model ({header.get('format')!r})")
        with np.load(directory / "weights.npz", allow_pickle=False) as weights:
            arrays = {k: weights[k] for k in ("coef", "intercept", "idf_word", "idf_char")}
        vocabularies = [{term: i for i, term in enumerate(terms)} for terms in header["vocabularies"]]
        if arrays["coef"].shape[1] != sum(len(v) for v in vocabularies):
            raise ValueError(f"{directory}: weights do not match the vocabularies")
        return cls(
            labels=list(header["labels"]),
            vocabularies=vocabularies,
            idfs=[arrays["idf_word"], arrays["idf_char"]],
            coef=arrays["coef"],
            intercept=arrays["intercept"],
            meta=header.get("meta", {}),
        )


def _counters(vocabularies: list[dict[str, int]]) -> list[NgramCounter]:
    offsets = _bounds(vocabularies)
    return [
        NgramCounter(vocab, analyzer=str(params["analyzer"]), ngram_range=params["ngram_range"], offset=offset)
        for vocab, params, offset in zip(vocabularies, (WORD, CHAR), offsets, strict=False)
    ]


def _bounds(vocabularies: list[dict[str, int]]) -> list[int]:
    """The first column of each block and the end of the last."""
    return [0, *np.cumsum([len(v) for v in vocabularies]).tolist()]


def _two_columns(scores: np.ndarray) -> np.ndarray:
    """A two-label SVM gives one margin (only then is there one column); spread it over both labels."""
    if scores.shape[1] == 1:
        return np.hstack([-scores, scores])
    return scores


def linear_scores(features: Any, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    """Scores for rows already built by fit_features, as training holds them."""
    scores = np.asarray(features @ coef.T.astype(features.dtype)) + intercept
    return _two_columns(scores)


def top_probability(scores: np.ndarray, scale: float) -> np.ndarray:
    """The softmax probability of each row's best label, with margins times `scale`."""
    shifted = scale * (scores - scores.max(axis=1, keepdims=True))
    return 1.0 / np.exp(shifted).sum(axis=1)


def fit_confidence_scale(scores: np.ndarray, truth: Sequence[int]) -> float:
    """The scale whose softmax best predicts the true labels (least log loss).

    `truth` holds each row's label index, or -1 for a label the model does not
    know (those rows are left out). One number, fitted on rows the classifier
    did not see, turns margins into confidences that mean what they say: of the
    messages given 0.8, about 8 in 10 are right.
    """
    truth_index = np.asarray(truth)
    known = truth_index >= 0
    if not known.any():
        return DEFAULT_CONFIDENCE_SCALE
    rows = scores[known].astype(np.float64)
    rows -= rows.max(axis=1, keepdims=True)
    true_margin = rows[np.arange(len(rows)), truth_index[known]]

    def loss(log_scale: float) -> float:
        scale = math.exp(log_scale)
        return float(np.mean(np.log(np.exp(scale * rows).sum(axis=1)) - scale * true_margin))

    # The loss is convex in the scale; a golden-section search on its log is enough.
    low, high = math.log(0.05), math.log(50.0)
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(60):
        a, b = high - ratio * (high - low), low + ratio * (high - low)
        if loss(a) <= loss(b):
            high = b
        else:
            low = a
    return round(math.exp((low + high) / 2), 4)


def _class_weights(labels: Sequence[str], power: float) -> dict[str, float]:
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    n, k = len(labels), len(counts)
    return {label: (n / (k * c)) ** power for label, c in counts.items()}


def _vocabulary(lowered: list[str], params: dict[str, Any]) -> dict[str, int]:
    small = len(lowered) < 50  # Tiny sets (tests, pilots) keep every term.
    if params["analyzer"] != "word" and len(lowered) > CHAR_SAMPLE:
        # Finding the character n-grams worth keeping is the slow, memory-hungry
        # step; a large sample finds the same frequent n-grams at a fraction of the cost.
        lowered = random.Random(7).sample(lowered, CHAR_SAMPLE)
    return fit_vocabulary(
        lowered,
        analyzer=params["analyzer"],
        ngram_range=params["ngram_range"],
        min_df=1 if small else params["min_df"],
        max_df=1.0 if small else params.get("max_df", 1.0),
        max_features=params.get("max_features"),
    )


def fit_features(texts: Sequence[str]) -> tuple[Any, list[dict[str, int]], list[np.ndarray]]:
    """TF-IDF rows for `texts` (float64, as the SVM solver wants), vocabularies and IDF."""
    lowered = [t[:MAX_CHARS].lower() for t in texts]
    vocabularies = [_vocabulary(lowered, params) for params in (WORD, CHAR)]
    counts = count_matrix(_counters(vocabularies), lowered, dtype=np.float64)
    del lowered
    # Smoothed IDF, as TfidfVectorizer computes it, over every training text.
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = (np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0).astype(np.float32)
    bounds = _bounds(vocabularies)
    idfs = [idf[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    return tfidf_rows(counts, idf, bounds), vocabularies, idfs


def first_rows(features: Any, n: int) -> Any:
    """The first n rows of a CSR matrix as a view, so a fit on them copies nothing."""
    from scipy.sparse import csr_matrix

    end = int(features.indptr[n])
    return csr_matrix(
        (features.data[:end], features.indices[:end], features.indptr[: n + 1]),
        shape=(n, features.shape[1]),
        copy=False,
    )


def fit_classifier(
    features: Any, labels: Sequence[str], *, c: float, class_weight_power: float
) -> tuple[list[str], np.ndarray, np.ndarray]:
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=c, class_weight=_class_weights(labels, class_weight_power))
    svm.fit(features, list(labels))
    return [str(x) for x in svm.classes_], svm.coef_, svm.intercept_


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    c: float = 0.15,
    class_weight_power: float = 0.5,
    meta: dict[str, Any] | None = None,
) -> TrainedModel:
    if len(set(labels)) < 2:
        raise ValueError("training needs at least two different labels")
    features, vocabularies, idfs = fit_features(texts)
    classes, coef, intercept = fit_classifier(features, labels, c=c, class_weight_power=class_weight_power)
    return TrainedModel(
        labels=classes,
        vocabularies=vocabularies,
        idfs=idfs,
        coef=coef,
        intercept=intercept,
        meta={"c": c, "class_weight_power": class_weight_power, "n_train": len(texts), **(meta or {})},
    )


def is_finite(model: TrainedModel) -> bool:
    return bool(np.isfinite(model.coef).all()) and not math.isnan(float(model.intercept.sum()))
