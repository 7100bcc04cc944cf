"""`townhall triage eval --sentiment`: macro-F1 of sentiment on a labelled file.

    townhall triage eval --sentiment --input tweeteval_sentiment_dev.csv \\
        --label-column label_name --half held

Labels are negative, neutral and positive (case does not matter); rows with any
other label are skipped and counted. `--half` keeps one half of the rows, chosen
by a hash of the text: the weights in sentiment_weights.py were fitted on the
"tune" half of TweetEval, so only the "held" half is a fair measure there.
"""

import argparse
import hashlib
import sys
import time
from pathlib import Path

from townhall.triage.nlp.datasets import read_examples
from townhall.triage.nlp.metrics import classification_report, format_report

# Spellings some data sets use for the three labels. Numeric codes are not
# guessed: data sets disagree on them (0/1/2 against -1/0/1).
_ALIASES = {"negative": "negative", "neg": "negative", "neutral": "neutral", "neu": "neutral",
            "positive": "positive", "pos": "positive"}


def half(text: str) -> str:
    """"tune" or "held": a fixed split of any data set by a hash of the text."""
    return "tune" if int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "held"  # noqa: S324


def evaluate(args: argparse.Namespace) -> int:
    import json

    from townhall.triage.nlp.sentiment import sentiment

    try:
        examples = read_examples(Path(args.input), text_columns=args.text_columns, label_column=args.label_column)
    except (OSError, ValueError) as exc:
        print(f"eval: {exc}", file=sys.stderr)
        return 2
    wanted = getattr(args, "half", None)
    truth: list[str] = []
    texts: list[str] = []
    skipped = 0
    for example in examples:
        label = _ALIASES.get(example.label.strip().lower())
        if label is None:
            skipped += 1
        elif wanted in (None, "all") or half(example.text) == wanted:
            truth.append(label)
            texts.append(example.text)
    if not texts:
        print("eval: no rows labelled negative, neutral or positive", file=sys.stderr)
        return 2
    sentiment(texts[0])  # loads the word lists, so the timing is per message only
    started = time.perf_counter()
    predicted = [sentiment(text)[0] for text in texts]
    elapsed = time.perf_counter() - started
    report = classification_report(truth, predicted)
    report["microseconds_per_message"] = round(elapsed / len(texts) * 1e6, 1)
    report["skipped_rows"] = skipped
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"Sentiment on {args.input} ({wanted or 'all'} rows; {skipped} rows with other labels skipped):")
        print(format_report(report))
        print(f"\n{report['microseconds_per_message']} µs a message (normalising included)")
    return 0
