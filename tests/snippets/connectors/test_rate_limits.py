import random
from datetime import UTC, datetime

import httpx
import pytest
from pytest_httpserver import HTTPServer

from snippets.connectors import rate_limits
from snippets.connectors.rate_limits import QuotaExhausted, RateLimited, send
from snippets.reliability import retry_backoff

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)


def fixed_now() -> datetime:
    return NOW


class FakeSleep:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def client(httpserver: HTTPServer):
    with httpx.Client(base_url=httpserver.url_for("/")) as c:
        yield c


def test_the_client_reads_retry_after_with_the_shared_parser():
    assert rate_limits.parse_retry_after is retry_backoff.parse_retry_after
    now = NOW.timestamp()
    assert rate_limits.parse_retry_after("7", now) == 7.0
    assert rate_limits.parse_retry_after("Wed, 25 Nov 2026 12:00:30 GMT", now) == 30.0
    assert rate_limits.parse_retry_after("Wed, 25 Nov 2026 12:00:30 -0000", now) == 30.0  # no zone: UTC
    assert rate_limits.parse_retry_after("Wed, 25 Nov 2026 11:00:00 GMT", now) == 0.0
    assert rate_limits.parse_retry_after("soon", now) is None
    assert rate_limits.parse_retry_after(None, now) is None


def test_an_http_date_retry_after_is_honoured(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_ordered_request("/items").respond_with_json(
        {}, status=429, headers={"Retry-After": "Wed, 25 Nov 2026 12:00:12 GMT"}
    )
    httpserver.expect_ordered_request("/items").respond_with_json({"ok": True})
    sleep = FakeSleep()
    response = send(client, client.build_request("GET", "/items"), sleep=sleep, now=fixed_now)
    assert response.json() == {"ok": True}
    assert sleep.calls == [12.0]


def test_honours_retry_after_then_succeeds(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_ordered_request("/items").respond_with_json(
        {}, status=429, headers={"Retry-After": "3"}
    )
    httpserver.expect_ordered_request("/items").respond_with_json(
        {}, status=429, headers={"Retry-After": "5"}
    )
    httpserver.expect_ordered_request("/items").respond_with_json({"ok": True})
    sleep = FakeSleep()
    response = send(client, client.build_request("GET", "/items"), sleep=sleep, now=fixed_now)
    assert response.json() == {"ok": True}
    assert sleep.calls == [3.0, 5.0]
    assert len(httpserver.log) == 3


def test_retries_stop_at_the_attempt_budget(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_request("/items").respond_with_json({}, status=429, headers={"Retry-After": "1"})
    sleep = FakeSleep()
    with pytest.raises(RateLimited):
        send(client, client.build_request("GET", "/items"), max_attempts=4, sleep=sleep, now=fixed_now)
    assert len(httpserver.log) == 4
    assert sleep.calls == [1.0, 1.0, 1.0]


def test_retries_stop_at_the_waiting_budget(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_request("/items").respond_with_json({}, status=503, headers={"Retry-After": "60"})
    sleep = FakeSleep()
    with pytest.raises(RateLimited):
        send(
            client,
            client.build_request("GET", "/items"),
            max_attempts=10,
            max_total_wait=100,
            sleep=sleep,
            now=fixed_now,
        )
    assert sleep.calls == [60.0, 60.0]
    assert len(httpserver.log) == 3


def test_a_huge_retry_after_is_capped(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_ordered_request("/items").respond_with_json(
        {}, status=429, headers={"Retry-After": "86400"}
    )
    httpserver.expect_ordered_request("/items").respond_with_json({"ok": True})
    sleep = FakeSleep()
    send(client, client.build_request("GET", "/items"), max_single_wait=120, sleep=sleep, now=fixed_now)
    assert sleep.calls == [120.0]


def test_without_retry_after_it_backs_off_exponentially(httpserver: HTTPServer, client: httpx.Client):
    random.seed(7)
    httpserver.expect_request("/items").respond_with_data("busy", status=429)
    sleep = FakeSleep()
    with pytest.raises(RateLimited):
        send(client, client.build_request("GET", "/items"), max_attempts=4, sleep=sleep, now=fixed_now)
    assert len(sleep.calls) == 3
    for attempt, waited in enumerate(sleep.calls):
        assert 2**attempt <= waited <= 2**attempt + 1  # base delay plus up to 1 s of jitter


def test_salesforce_daily_allocation_is_not_retried(httpserver: HTTPServer, client: httpx.Client):
    body = [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}]
    httpserver.expect_request("/q").respond_with_json(body, status=403)
    sleep = FakeSleep()
    with pytest.raises(QuotaExhausted):
        send(client, client.build_request("GET", "/q"), sleep=sleep, now=fixed_now)
    assert len(httpserver.log) == 1
    assert sleep.calls == []


def test_salesforce_concurrency_limit_is_retried(httpserver: HTTPServer, client: httpx.Client):
    body = [{"message": "ConcurrentPerOrgLongTxn Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}]
    httpserver.expect_ordered_request("/q").respond_with_json(body, status=403)
    httpserver.expect_ordered_request("/q").respond_with_json({"done": True})
    sleep = FakeSleep()
    assert send(client, client.build_request("GET", "/q"), sleep=sleep, now=fixed_now).json() == {
        "done": True
    }
    assert len(sleep.calls) == 1


def test_other_403s_fail_at_once(httpserver: HTTPServer, client: httpx.Client):
    body = [
        {"message": "The REST API is not enabled for this Organization.", "errorCode": "API_DISABLED_FOR_ORG"}
    ]
    httpserver.expect_request("/q").respond_with_json(body, status=403)
    with pytest.raises(httpx.HTTPStatusError):
        send(client, client.build_request("GET", "/q"), sleep=FakeSleep(), now=fixed_now)
    assert len(httpserver.log) == 1


def test_netsuite_restlet_limit_is_retried(httpserver: HTTPServer, client: httpx.Client):
    body = {"error": {"code": "SSS_REQUEST_LIMIT_EXCEEDED", "message": "Request limit exceeded."}}
    httpserver.expect_ordered_request("/restlet").respond_with_json(body, status=400)
    httpserver.expect_ordered_request("/restlet").respond_with_json({"ok": 1})
    sleep = FakeSleep()
    assert send(client, client.build_request("GET", "/restlet"), sleep=sleep, now=fixed_now).json() == {
        "ok": 1
    }
    assert len(httpserver.log) == 2


def test_malformed_error_body_is_an_ordinary_error(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_request("/q").respond_with_data("<html>oops</html>", status=400)
    with pytest.raises(httpx.HTTPStatusError):
        send(client, client.build_request("GET", "/q"), sleep=FakeSleep(), now=fixed_now)
    assert len(httpserver.log) == 1
