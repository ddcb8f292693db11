"""Both retry implementations against a real local HTTP server, on a fake clock."""

from __future__ import annotations

import random
import socket
import types
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest
import tenacity
from pytest_httpserver import HTTPServer

import snippets.reliability.retry_backoff as rb

WALL_START = 1_800_000_000.0


class FakeClock:
    """Monotonic and wall time that move only when someone sleeps."""

    def __init__(self) -> None:
        self.elapsed = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.elapsed

    def time(self) -> float:
        return WALL_START + self.elapsed

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.elapsed += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    # tenacity reads time.monotonic() for its time budget and random.uniform() for
    # jitter; point both at deterministic stand-ins for this test only.
    monkeypatch.setattr(tenacity, "time", types.SimpleNamespace(monotonic=fake.monotonic))
    monkeypatch.setattr(tenacity.wait, "random", random.Random(7))
    return fake


def tenacity_get(client: httpx.Client, url: str, clock: FakeClock, **kw: float) -> object:
    return rb.get_json(client, url, sleep=clock.sleep, now=clock.time, **kw)


def by_hand_get(client: httpx.Client, url: str, clock: FakeClock, **kw: float) -> object:
    return rb.get_json_by_hand(
        client, url, sleep=clock.sleep, clock=clock.monotonic, now=clock.time, rng=random.Random(7), **kw
    )


IMPLEMENTATIONS = pytest.mark.parametrize("get", [tenacity_get, by_hand_get], ids=["tenacity", "by_hand"])


def expect(server: HTTPServer, *responses: tuple[int, dict[str, str]]) -> None:
    for status, headers in responses:
        body = '{"ok": true}' if status == 200 else "busy"
        server.expect_ordered_request("/items").respond_with_data(body, status=status, headers=headers)


@IMPLEMENTATIONS
def test_recovers_after_503s_with_jittered_waits(get, httpserver: HTTPServer, clock: FakeClock) -> None:
    expect(httpserver, (503, {}), (503, {}), (200, {}))
    with httpx.Client() as client:
        assert get(client, httpserver.url_for("/items"), clock) == {"ok": True}
    httpserver.check_assertions()
    assert len(clock.sleeps) == 2
    # Full jitter: attempt 1 waits in [0, 0.5], attempt 2 in [0, 1.0].
    assert 0 <= clock.sleeps[0] <= 0.5
    assert 0 <= clock.sleeps[1] <= 1.0


@IMPLEMENTATIONS
def test_honours_retry_after_seconds_on_429(get, httpserver: HTTPServer, clock: FakeClock) -> None:
    expect(httpserver, (429, {"Retry-After": "7"}), (200, {}))
    with httpx.Client() as client:
        assert get(client, httpserver.url_for("/items"), clock) == {"ok": True}
    assert clock.sleeps == [7.0]


@IMPLEMENTATIONS
def test_honours_retry_after_http_date(get, httpserver: HTTPServer, clock: FakeClock) -> None:
    retry_at = datetime.fromtimestamp(WALL_START + 12, tz=UTC)
    expect(httpserver, (503, {"Retry-After": format_datetime(retry_at, usegmt=True)}), (200, {}))
    with httpx.Client() as client:
        assert get(client, httpserver.url_for("/items"), clock) == {"ok": True}
    assert clock.sleeps == [12.0]


@IMPLEMENTATIONS
def test_does_not_retry_a_client_error(get, httpserver: HTTPServer, clock: FakeClock) -> None:
    expect(httpserver, (400, {}))
    with httpx.Client() as client, pytest.raises(httpx.HTTPStatusError) as raised:
        get(client, httpserver.url_for("/items"), clock)
    assert raised.value.response.status_code == 400
    assert clock.sleeps == []
    assert len(httpserver.log) == 1


@IMPLEMENTATIONS
def test_stops_after_the_attempt_budget(get, httpserver: HTTPServer, clock: FakeClock) -> None:
    expect(httpserver, *[(503, {})] * 5)
    with httpx.Client() as client, pytest.raises(rb.RetryableError, match="HTTP 503"):
        get(client, httpserver.url_for("/items"), clock)
    assert len(httpserver.log) == 5
    assert len(clock.sleeps) == 4


@IMPLEMENTATIONS
def test_gives_up_when_retry_after_exceeds_the_time_budget(
    get, httpserver: HTTPServer, clock: FakeClock
) -> None:
    expect(httpserver, (429, {"Retry-After": "120"}))
    with httpx.Client() as client, pytest.raises(rb.RetryableError, match="HTTP 429") as raised:
        get(client, httpserver.url_for("/items"), clock, budget_seconds=30.0)
    assert raised.value.retry_after == 120.0
    assert clock.sleeps == []  # failed at once instead of sleeping two minutes
    assert len(httpserver.log) == 1


@IMPLEMENTATIONS
def test_time_budget_counts_earlier_waits(get, httpserver: HTTPServer, clock: FakeClock) -> None:
    expect(httpserver, (503, {"Retry-After": "20"}), (503, {"Retry-After": "20"}))
    with httpx.Client() as client, pytest.raises(rb.RetryableError):
        get(client, httpserver.url_for("/items"), clock, budget_seconds=30.0)
    assert clock.sleeps == [20.0]  # 20 s spent; another 20 s would end at 40 s > 30 s
    assert len(httpserver.log) == 2


@IMPLEMENTATIONS
def test_retries_connection_failures(get, clock: FakeClock) -> None:
    with socket.socket() as sock:  # find a port with nothing listening on it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with httpx.Client() as client, pytest.raises(rb.RetryableError, match="ConnectError"):
        get(client, f"http://127.0.0.1:{port}/items", clock, max_attempts=3)
    assert len(clock.sleeps) == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("0", 0.0),
        (" 42 ", 42.0),
        ("soon", None),
        ("-5", None),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),  # a date in the past means "now"
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert rb.parse_retry_after(value, now=WALL_START) == expected


def test_full_jitter_stays_under_the_capped_ceiling() -> None:
    rng = random.Random(1)
    for attempt in range(12):
        ceiling = min(20.0, 0.5 * 2**attempt)
        for _ in range(200):
            assert 0 <= rb.full_jitter(attempt, 0.5, 20.0, rng) <= ceiling


def test_equal_jitter_keeps_half_the_ceiling() -> None:
    rng = random.Random(2)
    for attempt in range(12):
        ceiling = min(20.0, 0.5 * 2**attempt)
        for _ in range(200):
            assert ceiling / 2 <= rb.equal_jitter(attempt, 0.5, 20.0, rng) <= ceiling


def test_decorrelated_jitter_stays_between_base_and_cap() -> None:
    rng = random.Random(3)
    wait = 0.5
    seen = []
    for _ in range(500):
        wait = rb.decorrelated_jitter(wait, 0.5, 20.0, rng)
        assert 0.5 <= wait <= 20.0
        seen.append(wait)
    assert max(seen) > 15  # it does climb towards the cap


def test_jitter_spreads_clients_that_failed_together() -> None:
    rng = random.Random(4)
    plain = {min(20.0, 0.5 * 2**3) for _ in range(100)}
    jittered = {round(rb.full_jitter(3, 0.5, 20.0, rng), 3) for _ in range(100)}
    assert len(plain) == 1  # without jitter, 100 clients retry in the same instant
    assert len(jittered) > 90


def test_retry_budget_caps_retries_at_the_ratio() -> None:
    budget = rb.RetryBudget(ratio=0.1, reserve=3)
    retries = 0
    for _ in range(1000):
        budget.record_request()
        if budget.try_spend():  # every request fails and wants a retry
            retries += 1
    # 3 from the reserve, then roughly one per ten requests.
    assert 100 <= retries <= 103


def test_retry_budget_refills_only_up_to_its_reserve() -> None:
    budget = rb.RetryBudget(ratio=0.1, reserve=3)
    for _ in range(3):
        assert budget.try_spend()
    assert not budget.try_spend()  # reserve spent, nothing earned yet
    for _ in range(1000):
        budget.record_request()
    assert budget.tokens == 3
