"""`townhall triage run|train|eval`: the triage pipeline from the command line.

No Django and no database: these commands are also how outside evaluators
measure the product, so they must start fast and never lose an input line.
"""

import argparse
import gc
import json
import sys
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

# Lines are held back this long so a singleton can still be given the incident
# id of a later message about the same thing; memory stays bounded.
HOLD_BACK = 10000
CHUNK = 1000


def _load_classifier(model_dir: str | None) -> Any:
    if model_dir:
        from townhall.triage.nlp.model import TrainedModel

        return TrainedModel.load(Path(model_dir))
    from townhall.triage.nlp.default_classifier import DefaultClassifier

    return DefaultClassifier()


def _parse(line: str, number: int) -> tuple[dict[str, Any] | None, str | None, str | None]:
    """(message, id, error) for one input line."""
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return None, None, f"line {number}: not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc})"
    if not isinstance(record, dict):
        return None, None, f"line {number}: expected a JSON object"
    raw_id = record.get("id")
    message_id = None if raw_id is None else str(raw_id)
    text = record.get("text")
    if not isinstance(text, str):
        return None, message_id, f"line {number}: \"text\" is missing or not a string"
    return {"id": message_id, "text": text, "created_at": record.get("created_at"),
            "platform": record.get("platform"), "_key": f"{number}:{message_id}"}, message_id, None


def _chunks(handle: TextIO) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        chunk.append((number, line))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def cmd_run(args: argparse.Namespace) -> int:
    from townhall.triage.nlp.pipeline import Triager, failed_result

    started = time.perf_counter()
    triager = Triager(_load_classifier(args.model))
    # The classifier and lexicons live for the whole run: keep the cyclic garbage
    # collector from walking them again and again, and let it run less often,
    # since the held-back results are many small objects without cycles.
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)
    pending: deque[Any] = deque()
    by_key: dict[str, Any] = {}
    failures = written = 0
    with open(args.input, encoding="utf-8", errors="replace") as source, \
            open(args.output, "w", encoding="utf-8") as sink:

        def flush(keep: int) -> None:
            nonlocal written
            while len(pending) > keep:
                key, result = pending.popleft()
                by_key.pop(key, None)
                sink.write(json.dumps(result.as_output(), ensure_ascii=False) + "\n")
                written += 1

        for chunk in _chunks(source):
            parsed = [(number, *_parse(line, number)) for number, line in chunk]
            good = [message for _, message, _, _ in parsed if message is not None]
            try:
                results = iter(list(triager.triage_many(good)))
            except Exception as exc:  # noqa: BLE001 - fail closed, one message at a time
                results = iter([_triage_each(triager, m, failed_result) for m in good])
                print(f"triage: batch failed ({type(exc).__name__}); retried one by one", file=sys.stderr)
            for number, message, message_id, error in parsed:
                if message is None:
                    failures += 1
                    print(f"triage: {error}; marked for human review", file=sys.stderr)
                    result = failed_result(message_id=message_id, error=error or "unreadable line")
                    key = f"{number}:bad"
                else:
                    result = next(results)
                    key = message["_key"]
                    for earlier in result.incident_joined:
                        if earlier in by_key:
                            by_key[earlier].incident = result.incident
                pending.append((key, result))
                by_key[key] = result
            flush(HOLD_BACK)
        flush(0)
    elapsed = time.perf_counter() - started
    print(f"triage: wrote {written} results to {args.output} in {elapsed:.2f}s "
          f"({failures} lines could not be read)", file=sys.stderr)
    return 0


def _triage_each(triager: Any, message: dict[str, Any], failed_result: Any) -> Any:
    try:
        return next(triager.triage_many([message]))
    except Exception as exc:  # noqa: BLE001
        return failed_result(message_id=message.get("id"), error=f"triage failed: {type(exc).__name__}",
                             text=message.get("text", ""))


def cmd_train(args: argparse.Namespace) -> int:
    from townhall.triage.nlp.training import train_and_report

    return train_and_report(args)


def cmd_eval(args: argparse.Namespace) -> int:
    if getattr(args, "sentiment", False):
        from townhall.triage.nlp import sentiment_eval

        return sentiment_eval.evaluate(args)
    from townhall.triage.nlp.training import evaluate

    return evaluate(args)


def _columns(value: str) -> list[str]:
    columns = [c.strip() for c in value.split(",") if c.strip()]
    if not columns:
        raise argparse.ArgumentTypeError("give at least one column name")
    return columns


def add_commands(subparsers: Any) -> Any:
    """Add `triage` with run, train and eval to a parent argparse subparsers object.

    Returns triage's own subparsers, so the app can add commands that need Django.
    """
    triage = subparsers.add_parser("triage", help="classify and screen messages (no database needed)")
    commands = triage.add_subparsers(dest="triage_command", required=True)

    run = commands.add_parser("run", help="triage a JSONL file of messages")
    run.add_argument("--input", required=True, help="JSONL, one {\"id\", \"text\"} object a line")
    run.add_argument("--output", required=True, help="JSONL results, in input order")
    run.add_argument("--model", help="a directory written by `triage train`")
    run.set_defaults(func=cmd_run)

    for name, helptext in (("train", "train a council's own classifier"),
                           ("eval", "measure a classifier on labelled data")):
        sub = commands.add_parser(name, help=helptext)
        sub.add_argument("--input", required=True, help="CSV or JSONL with text and label columns")
        sub.add_argument("--text-columns", type=_columns, default=["text"],
                         help="comma-separated text columns, joined (default: text)")
        sub.add_argument("--label-column", default="label", help="column holding the label")
        sub.add_argument("--json", action="store_true", help="print a JSON report")
        if name == "train":
            sub.add_argument("--output", required=True, help="directory to write the model to")
            sub.add_argument("--c", type=float, default=0.15, help="SVM regularisation (default 0.15)")
            sub.add_argument("--holdout", type=float, default=0.1, help="share held back for validation")
            sub.set_defaults(func=cmd_train)
        else:
            sub.add_argument("--model", help="model directory; default: the built-in classifier")
            sub.add_argument("--sentiment", action="store_true",
                             help="measure sentiment instead (labels negative, neutral, positive)")
            sub.add_argument("--half", choices=("tune", "held", "all"), default="all",
                             help="with --sentiment: only rows of this half, split by a hash of the text")
            sub.set_defaults(func=cmd_eval)
    return commands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="townhall")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
