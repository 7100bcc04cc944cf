"""The train and eval commands' work, kept apart from argument parsing."""

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from townhall.triage.nlp.datasets import read_examples
from townhall.triage.nlp.metrics import classification_report, format_report

# With a title and a body, the title says what the problem is; counting it twice
# measured better than once (docs/decisions/0102).
TITLE_WEIGHT = 2
CLASS_WEIGHT_POWER = 0.5


def _first_weight(columns: list[str]) -> int:
    return TITLE_WEIGHT if len(columns) > 1 else 1


def _print(report: dict[str, Any], as_json: bool, title: str) -> None:
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        print(title)
        print(format_report(report))


def split_rows(n_rows: int, holdout: float) -> tuple[list[int], list[int]]:
    """(kept, held back) row numbers; a fixed shuffle, so a file always gives the same report."""
    order = list(range(n_rows))
    random.Random(13).shuffle(order)
    n_hold = int(n_rows * holdout) if n_rows >= 20 else 0
    return order[n_hold:], order[:n_hold]


def _validate(model_module: Any, features: Any, labels: list[str], n_kept: int, c: float) -> dict[str, Any]:
    """Fit on the first n_kept rows, report on the rest and fit the confidence scale there."""
    classes, coef, intercept = model_module.fit_classifier(
        model_module.first_rows(features, n_kept), labels[:n_kept], c=c, class_weight_power=CLASS_WEIGHT_POWER)
    scores = model_module.linear_scores(features[n_kept:], coef, intercept)
    truth = labels[n_kept:]
    report = classification_report(truth, [classes[i] for i in scores.argmax(axis=1)])
    index = {label: i for i, label in enumerate(classes)}
    scale = model_module.fit_confidence_scale(scores, [index.get(label, -1) for label in truth])
    confidence = model_module.top_probability(scores, scale)
    report["confidence"] = {
        "scale": scale,
        "mean": round(float(confidence.mean()), 4),
        "below_0_35": round(float((confidence < 0.35).mean()), 4),
    }
    return report


def train_and_report(args: argparse.Namespace) -> int:
    from townhall.triage.nlp import model as model_module

    started = time.perf_counter()
    examples = read_examples(Path(args.input), text_columns=args.text_columns,
                             label_column=args.label_column, first_weight=_first_weight(args.text_columns))
    if len(examples) < 4:
        print("train: need at least 4 labelled rows", file=sys.stderr)
        return 2
    if len({e.label for e in examples}) < 2:
        print("train: need at least two different labels", file=sys.stderr)
        return 2
    kept, held = split_rows(len(examples), args.holdout)
    n_hold = len(held)
    # Kept rows first, held-back rows last: the validation fit then reads the
    # first rows of the one feature matrix instead of a copy of them.
    arranged = kept + held
    # Fresh copies of the texts and one object per label: the strings read from
    # the file sit among its row dicts in memory, and keeping them would keep
    # that memory (about 80 MB for 77,000 rows) from being freed with the rows.
    texts = [examples[i].text.encode("utf-8").decode("utf-8") for i in arranged]
    labels = [sys.intern(examples[i].label) for i in arranged]
    del examples
    n_kept = len(labels) - n_hold

    # Term statistics come from all texts (no labels involved); the classifier
    # is fitted on the kept rows and checked on the held rows, which also set
    # how confident its answers say they are; then it is refitted on all rows.
    features, vocabularies, idfs = model_module.fit_features(texts)
    n_rows = len(texts)
    del texts
    report = _validate(model_module, features, labels, n_kept, args.c) if n_hold else None
    classes, coef, intercept = model_module.fit_classifier(
        features, labels, c=args.c, class_weight_power=CLASS_WEIGHT_POWER)
    del features
    meta: dict[str, Any] = {
        "c": args.c, "class_weight_power": CLASS_WEIGHT_POWER, "n_train": n_rows,
        "text_columns": args.text_columns, "label_column": args.label_column,
        "first_column_weight": _first_weight(args.text_columns),
        "validation": {k: report[k] for k in ("n", "accuracy", "macro_f1")} if report else None,
    }
    if report:
        meta["confidence_scale"] = report["confidence"]["scale"]
    trained = model_module.TrainedModel(
        labels=classes, vocabularies=vocabularies, idfs=idfs, coef=coef, intercept=intercept, meta=meta)
    trained.save(Path(args.output))
    elapsed = time.perf_counter() - started
    if report:
        _print(report, args.json, f"Validation on {n_hold} held-back rows (the saved model is refitted on all rows):")
        if not args.json:
            calibration = report["confidence"]
            print(f"\nconfidence: scale {calibration['scale']}, mean {calibration['mean']:.3f} "
                  f"(accuracy {report['accuracy']:.3f}), below 0.35: {calibration['below_0_35']:.1%}")
    print(f"train: {n_rows} rows, {len(classes)} labels, model written to {args.output} "
          f"in {elapsed:.1f}s", file=sys.stderr)
    return 0


def evaluate(args: argparse.Namespace) -> int:
    if args.model:
        from townhall.triage.nlp.model import TrainedModel

        classifier: Any = TrainedModel.load(Path(args.model))
        weight = int(classifier.meta.get("first_column_weight", 1)) if len(args.text_columns) > 1 else 1
    else:
        classifier = None
        weight = 1
    examples = read_examples(Path(args.input), text_columns=args.text_columns,
                             label_column=args.label_column, first_weight=weight)
    if not examples:
        print("eval: no labelled rows found", file=sys.stderr)
        return 2
    truth = [e.label for e in examples]
    if classifier is None:
        from townhall.triage.nlp.default_classifier import DefaultClassifier
        from townhall.triage.nlp.taxonomy import BY_CODE

        # The built-in classifier answers only with codes the data uses, so a
        # street-only data set is not scored against council-wide categories.
        known = sorted({label for label in truth if label in BY_CODE})
        classifier = DefaultClassifier(known or None)
    predicted = [p.label for p in classifier.predict([e.text for e in examples])]
    report = classification_report(truth, predicted)
    _print(report, args.json, f"Evaluation of {args.model or 'the built-in classifier'} on {args.input}:")
    return 0
