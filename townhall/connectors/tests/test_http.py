import json

import pytest

from townhall.connectors.errors import PermanentError, RetriableError
from townhall.connectors.fake import FakeApi, Scripted
from townhall.connectors.http import BACKOFF_CAP, HttpClient, backoff, retry_after_from


@pytest.fixture
def api():
    fake = FakeApi()
    fake.route("GET", "/ok", lambda r: (200, {"ok": True}))
    yield fake
    fake.close()


def client(api, timeout=2.0):
    return HttpClient(base_url=api.base_url, name="Example", timeout=timeout)


def test_it_reads_retry_after_in_seconds_and_as_a_date() -> None:
    assert retry_after_from({"Retry-After": "30"}) == 30
    assert retry_after_from({"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"},
                            now=1792567670) == pytest.approx(10)


def test_it_reads_epoch_and_iso_reset_headers() -> None:
    assert retry_after_from({"x-rate-limit-reset": "1000060"}, now=1000000) is not None
    assert retry_after_from({"x-rate-limit-reset": "1800000060"}, now=1800000000) == 60
    assert retry_after_from({"X-RateLimit-Reset": "2026-03-02T09:16:00Z"},
                            now=1772442900) == 60


def test_it_reads_metas_business_use_case_usage() -> None:
    usage = {"104729381234567": [{"type": "pages", "call_count": 100,
                                  "total_cputime": 30, "total_time": 40,
                                  "estimated_time_to_regain_access": 5}]}
    assert retry_after_from({"X-Business-Use-Case-Usage": json.dumps(usage)}) == 300


def test_it_has_no_wait_without_headers() -> None:
    assert retry_after_from({}) is None


def test_backoff_is_jittered_exponential_and_capped() -> None:
    for attempt in range(1, 30):
        wait = backoff(attempt)
        assert 0 <= wait <= min(BACKOFF_CAP, 2.0 * 2 ** (attempt - 1))
    assert max(backoff(40) for _ in range(200)) > BACKOFF_CAP / 2


def test_it_returns_json_on_success(api) -> None:
    assert client(api).request("GET", "/ok") == {"ok": True}


def test_a_429_is_retriable_with_the_wait_the_platform_asked_for(api) -> None:
    api.script("GET", "/ok", Scripted(429, {}, headers={"Retry-After": "7"}))
    with pytest.raises(RetriableError) as caught:
        client(api).request("GET", "/ok")
    assert caught.value.retry_after == 7
    assert not caught.value.maybe_sent


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_5xx_is_retriable(api, status) -> None:
    api.script("POST", "/ok", Scripted(status, {}))
    api.route("POST", "/ok", lambda r: (200, {}))
    with pytest.raises(RetriableError) as caught:
        client(api).request("POST", "/ok")
    assert caught.value.maybe_sent


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_other_4xx_are_permanent(api, status) -> None:
    api.script("GET", "/ok", Scripted(status, {"error": {"message": "Nope"}}))
    with pytest.raises(PermanentError, match="Nope"):
        client(api).request("GET", "/ok")


def test_a_timeout_is_retriable(api) -> None:
    api.script("GET", "/ok", Scripted(delay=1.0))
    with pytest.raises(RetriableError, match="did not answer"):
        client(api, timeout=0.2).request("GET", "/ok")


def test_a_refused_connection_is_retriable() -> None:
    fake = FakeApi()
    url = fake.base_url
    fake.close()
    with pytest.raises(RetriableError, match="could not connect"):
        HttpClient(base_url=url, name="Example", timeout=1).request("GET", "/ok")


def test_errors_never_carry_the_query_string(api) -> None:
    api.script("GET", "/ok", Scripted(400, {}))
    with pytest.raises(PermanentError) as caught:
        client(api).request("GET", "/ok", params={"access_token": "s3cret-token"})
    assert "s3cret" not in str(caught.value)
