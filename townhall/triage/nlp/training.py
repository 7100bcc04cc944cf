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
REFIT_UP_TO = 40000


def _first_weight(columns: list[str]) -> int:
    return TITLE_WEIGHT if len(columns) > 1 else 1


def _print(report: dict[str, Any], as_json: bool, title: str) -> None:
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        print(title)
        print(format_report(report))


def train_and_report(args: argparse.Namespace) -> int:
    from townhall.triage.nlp import model as model_module

    started = time.perf_counter()
    examples = read_examples(Path(args.input), text_columns=args.text_columns,
                             label_column=args.label_column, first_weight=_first_weight(args.text_columns))
    if len(examples) < 4:
        print("train: need at least 4 labelled rows", file=sys.stderr)
        return 2
    texts = [e.text for e in examples]
    labels = [e.label for e in examples]
    if len(set(labels)) < 2:
        print("train: need at least two different labels", file=sys.stderr)
        return 2
    order = list(range(len(examples)))
    random.Random(13).shuffle(order)
    n_hold = int(len(order) * args.holdout) if len(order) >= 20 else 0
    held, kept = order[:n_hold], order[n_hold:]

    # Term statistics come from all texts (no labels involved); the classifier
    # is fitted on the kept rows, checked on the held rows, then refitted on all.
    features, vocabularies, idfs = model_module.fit_features(texts)
    report = None
    if held:
        classes, coef, intercept = model_module.fit_classifier(
            features[kept], [labels[i] for i in kept], c=args.c, class_weight_power=0.5)
        trial = model_module.TrainedModel(labels=classes, vocabularies=vocabularies, idfs=idfs,
                                          coef=coef, intercept=intercept, meta={})
        predicted = trial.predict([texts[i] for i in held])
        report = classification_report([labels[i] for i in held], [p.label for p in predicted])
    if not held or len(texts) <= REFIT_UP_TO:
        classes, coef, intercept = model_module.fit_classifier(features, labels, c=args.c, class_weight_power=0.5)
    # Above REFIT_UP_TO rows the validated model is kept as it is: the extra
    # 10% of rows gain little and a second fit would break the time budget.
    trained = model_module.TrainedModel(
        labels=classes, vocabularies=vocabularies, idfs=idfs, coef=coef, intercept=intercept,
        meta={"c": args.c, "class_weight_power": 0.5, "n_train": len(texts),
              "text_columns": args.text_columns, "label_column": args.label_column,
              "first_column_weight": _first_weight(args.text_columns),
              "validation": {k: report[k] for k in ("n", "accuracy", "macro_f1")} if report else None})
    trained.save(Path(args.output))
    elapsed = time.perf_counter() - started
    if report:
        _print(report, args.json, f"Validation on {len(held)} held-back rows:")
    print(f"train: {len(texts)} rows, {len(classes)} labels, model written to {args.output} "
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
