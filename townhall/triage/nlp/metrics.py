"""Classification metrics without scikit-learn, so `eval` starts fast."""

from collections import Counter
from collections.abc import Sequence
from typing import Any


def classification_report(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over labels seen in either list, per-class P/R/F1 and a confusion matrix."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predictions differ in length")
    labels = sorted(set(truth) | set(predicted))
    pairs = Counter(zip(truth, predicted, strict=True))
    per_class: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = pairs[(label, label)]
        predicted_n = sum(v for (_, p), v in pairs.items() if p == label)
        actual_n = sum(v for (t, _), v in pairs.items() if t == label)
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / actual_n if actual_n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": actual_n,
        }
    correct = sum(v for (t, p), v in pairs.items() if t == p)
    return {
        "n": len(truth),
        "accuracy": round(correct / len(truth), 4) if truth else 0.0,
        "macro_f1": round(sum(c["f1"] for c in per_class.values()) / len(labels), 4) if labels else 0.0,
        "labels": labels,
        "per_class": per_class,
        "confusion": [[pairs[(t, p)] for p in labels] for t in labels],
    }


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"n={report['n']}  accuracy={report['accuracy']:.4f}  macro-F1={report['macro_f1']:.4f}",
        "",
        f"{'label':32} {'precision':>9} {'recall':>7} {'f1':>7} {'support':>8}",
    ]
    for label, c in report["per_class"].items():
        lines.append(f"{label[:32]:32} {c['precision']:9.3f} {c['recall']:7.3f} {c['f1']:7.3f} {c['support']:8d}")
    labels = report["labels"]
    lines += ["", "confusion (rows = truth, columns = predicted, in label order above):"]
    lines += [
        f"{label[:20]:20} " + " ".join(f"{v:5d}" for v in row)
        for label, row in zip(labels, report["confusion"], strict=True)
    ]
    return "\n".join(lines)
