"""A council's own trained classifier: TF-IDF word and character n-grams + linear SVM.

Saved as JSON (vocabularies, labels, settings) and an .npz of plain arrays read
with allow_pickle=False, so loading a model directory cannot run code.
scikit-learn is imported only inside the functions that need it: it is slow to
import and `triage run` without --model must start fast.
"""

import json
import math
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from townhall.triage.nlp.default_classifier import Prediction

FORMAT = "townhall-triage-linear/1"
WORD = {"analyzer": "word", "ngram_range": (1, 2), "min_df": 2, "max_df": 0.5}
CHAR = {"analyzer": "char_wb", "ngram_range": (3, 5), "min_df": 3, "max_features": 300000}
MAX_CHARS = 4000
CHAR_SAMPLE = 30000


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
        self.idfs = idfs
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        self.meta = meta
        self._vectorizers: list[Any] | None = None

    def _features(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.preprocessing import normalize

        if self._vectorizers is None:
            self._vectorizers = [
                CountVectorizer(vocabulary=vocab, dtype=np.float32, **_count_params(params))
                for vocab, params in zip(self.vocabularies, (WORD, CHAR), strict=True)
            ]
        clipped = [t[:MAX_CHARS] for t in texts]
        blocks = []
        for vectorizer, idf in zip(self._vectorizers, self.idfs, strict=True):
            counts = vectorizer.transform(clipped).tocsr()
            # Same weighting as TfidfVectorizer(sublinear_tf=True): (1 + log tf) * idf, L2.
            np.log(counts.data, out=counts.data)
            counts.data += 1.0
            counts.data *= idf[counts.indices]
            blocks.append(normalize(counts))
        return hstack(blocks, format="csr")

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        scores = self._features(texts) @ self.coef.T + self.intercept
        if len(self.labels) == 2 and scores.shape[1] == 1:
            scores = np.hstack([-scores, scores])
        return np.asarray(scores)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        if not texts:
            return []
        scores = self.decision(texts)
        out = []
        for row in scores:
            best = int(np.argmax(row))
            # A softmax of SVM margins: not calibrated, but it ranks doubt correctly.
            exps = np.exp(2.5 * (row - row[best]))
            out.append(Prediction(self.labels[best], round(float(1.0 / exps.sum()), 3)))
        return out

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        vocab_lists = [[""] * len(v) for v in self.vocabularies]
        for lst, vocab in zip(vocab_lists, self.vocabularies, strict=True):
            for term, index in vocab.items():
                lst[index] = term
        header = {"format": FORMAT, "labels": self.labels, "vocabularies": vocab_lists, "meta": self.meta}
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
        model = cls(
            labels=list(header["labels"]),
            vocabularies=vocabularies,
            idfs=[arrays["idf_word"].astype(np.float32), arrays["idf_char"].astype(np.float32)],
            coef=arrays["coef"],
            intercept=arrays["intercept"],
            meta=header.get("meta", {}),
        )
        if model.coef.shape[1] != sum(len(v) for v in vocabularies):
            raise ValueError(f"{directory}: weights do not match the vocabularies")
        return model


def _count_params(params: dict[str, Any]) -> dict[str, Any]:
    return {"analyzer": params["analyzer"], "ngram_range": params["ngram_range"]}


def _class_weights(labels: Sequence[str], power: float) -> dict[str, float]:
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    n, k = len(labels), len(counts)
    return {label: (n / (k * c)) ** power for label, c in counts.items()}


def fit_features(texts: Sequence[str]) -> tuple[Any, list[dict[str, int]], list[np.ndarray]]:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    clipped = [t[:MAX_CHARS] for t in texts]
    matrices, vocabularies, idfs = [], [], []
    for params in (WORD, CHAR):
        small = len(clipped) < 50  # Tiny sets (tests, pilots) keep every term.
        settings = {
            **params,
            "min_df": 1 if small else params["min_df"],
            "max_df": 1.0 if small else params.get("max_df", 1.0),
        }
        vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **settings)
        if params["analyzer"] == "word" or len(clipped) <= CHAR_SAMPLE:
            matrices.append(vectorizer.fit_transform(clipped))
        else:
            # Character n-gram counting is the slow, memory-hungry step; a large
            # sample finds the same frequent n-grams at a fraction of the cost.
            sample = random.Random(7).sample(clipped, CHAR_SAMPLE)
            vectorizer.fit(sample)
            matrices.append(vectorizer.transform(clipped))
        vocabularies.append({term: int(i) for term, i in vectorizer.vocabulary_.items()})
        idfs.append(vectorizer.idf_.astype(np.float32))
    return hstack(matrices, format="csr"), vocabularies, idfs


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
