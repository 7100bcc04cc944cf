"""The fail-closed wrapper sends a person anything the pipeline cannot handle."""

import time

from townhall.triage.nlp.default_classifier import Prediction
from townhall.triage.nlp.pipeline import Triager, triage_one_safe


class _Broken:
    def predict(self, texts: list[str]) -> list[Prediction]:
        raise RuntimeError("model file corrupt")


class _Slow:
    def predict(self, texts: list[str]) -> list[Prediction]:
        time.sleep(2)
        return [Prediction("other", 1.0) for _ in texts]


def test_it_fails_closed_when_the_pipeline_raises() -> None:
    result = triage_one_safe("my bin was missed, call 07700 900123", triager=Triager(_Broken()))
    assert result.priority == "critical" and result.needs_review
    assert result.safeguarding_reasons == ["triage_failed"]
    assert "07700" not in result.redacted_text


def test_it_fails_closed_when_the_time_budget_runs_out() -> None:
    started = time.perf_counter()
    result = triage_one_safe("hello", triager=Triager(_Slow()), budget_seconds=0.2)
    assert time.perf_counter() - started < 1.5
    assert result.priority == "critical" and result.needs_review and "longer" in (result.error or "")


def test_it_passes_a_normal_result_through() -> None:
    result = triage_one_safe("dead fox on the pavement")
    assert result.category == "dead_animal" and not result.needs_review
