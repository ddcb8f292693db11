"""Drive the breaker through every transition on a fake clock."""

from __future__ import annotations

import threading

import pytest

from snippets.reliability.circuit_breaker import Breakers, CircuitBreaker, CircuitOpenError, State


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Dependency:
    """A dependency whose health the test controls; counts the calls that reach it."""

    def __init__(self) -> None:
        self.healthy = True
        self.calls = 0

    def __call__(self, value: int = 1) -> int:
        self.calls += 1
        if not self.healthy:
            raise ConnectionError("dependency down")
        return value * 2


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def dep() -> Dependency:
    return Dependency()


@pytest.fixture
def breaker(clock: FakeClock) -> CircuitBreaker:
    return CircuitBreaker("crm", failure_threshold=3, reset_timeout=30.0, clock=clock)


def trip(breaker: CircuitBreaker, dep: Dependency) -> None:
    dep.healthy = False
    for _ in range(breaker.failure_threshold):
        with pytest.raises(ConnectionError):
            breaker.call(dep)


def test_closed_passes_calls_through(breaker: CircuitBreaker, dep: Dependency) -> None:
    assert breaker.call(dep, 21) == 42
    assert breaker.state is State.CLOSED
    assert dep.calls == 1


def test_closed_to_open_after_consecutive_failures(breaker: CircuitBreaker, dep: Dependency) -> None:
    dep.healthy = False
    for _ in range(2):
        with pytest.raises(ConnectionError):
            breaker.call(dep)
        assert breaker.state is State.CLOSED
    with pytest.raises(ConnectionError):
        breaker.call(dep)
    assert breaker.state is State.OPEN


def test_a_success_resets_the_failure_count(breaker: CircuitBreaker, dep: Dependency) -> None:
    dep.healthy = False
    for _ in range(2):
        with pytest.raises(ConnectionError):
            breaker.call(dep)
    dep.healthy = True
    breaker.call(dep)
    dep.healthy = False
    for _ in range(2):
        with pytest.raises(ConnectionError):
            breaker.call(dep)
    assert breaker.state is State.CLOSED  # 2 + 2 failures, never 3 in a row


def test_open_fails_fast_without_calling(breaker: CircuitBreaker, dep: Dependency, clock: FakeClock) -> None:
    trip(breaker, dep)
    calls = dep.calls
    clock.advance(10)
    with pytest.raises(CircuitOpenError) as raised:
        breaker.call(dep)
    assert dep.calls == calls
    assert raised.value.retry_in == pytest.approx(20.0)


def test_open_to_half_open_after_reset_timeout(
    breaker: CircuitBreaker, dep: Dependency, clock: FakeClock
) -> None:
    trip(breaker, dep)
    clock.advance(29.9)
    assert breaker.state is State.OPEN
    clock.advance(0.1)
    assert breaker.state is State.HALF_OPEN


def test_half_open_probe_success_closes(breaker: CircuitBreaker, dep: Dependency, clock: FakeClock) -> None:
    trip(breaker, dep)
    clock.advance(30)
    dep.healthy = True
    assert breaker.call(dep, 5) == 10
    assert breaker.state is State.CLOSED
    assert breaker.call(dep, 6) == 12


def test_half_open_probe_failure_reopens_and_restarts_the_timer(
    breaker: CircuitBreaker, dep: Dependency, clock: FakeClock
) -> None:
    trip(breaker, dep)
    clock.advance(30)
    with pytest.raises(ConnectionError):
        breaker.call(dep)  # the probe fails
    assert breaker.state is State.OPEN
    clock.advance(29)
    with pytest.raises(CircuitOpenError):
        breaker.call(dep)
    clock.advance(1)
    assert breaker.state is State.HALF_OPEN


def test_half_open_lets_only_one_probe_through(
    breaker: CircuitBreaker, dep: Dependency, clock: FakeClock
) -> None:
    trip(breaker, dep)
    clock.advance(30)
    dep.healthy = True
    probe_started = threading.Event()
    release_probe = threading.Event()

    def slow_probe() -> str:
        probe_started.set()
        release_probe.wait(5)
        return "ok"

    results: list[str] = []
    worker = threading.Thread(target=lambda: results.append(breaker.call(slow_probe)))
    worker.start()
    assert probe_started.wait(5)
    with pytest.raises(CircuitOpenError):
        breaker.call(dep)  # a second caller while the probe is in flight
    release_probe.set()
    worker.join(5)
    assert results == ["ok"]
    assert breaker.state is State.CLOSED


def test_errors_that_are_not_failures_do_not_trip(clock: FakeClock) -> None:
    class NotFound(Exception):
        pass

    breaker = CircuitBreaker(
        "erp",
        failure_threshold=2,
        counts_as_failure=lambda error: not isinstance(error, NotFound),
        clock=clock,
    )

    def missing() -> None:
        raise NotFound

    for _ in range(5):
        with pytest.raises(NotFound):
            breaker.call(missing)
    assert breaker.state is State.CLOSED


def test_breakers_are_per_dependency(clock: FakeClock, dep: Dependency) -> None:
    breakers = Breakers(failure_threshold=1, reset_timeout=30.0, clock=clock)
    crm, erp = breakers.for_dependency("crm"), breakers.for_dependency("erp")
    assert breakers.for_dependency("crm") is crm
    trip(crm, dep)
    dep.healthy = True
    assert crm.state is State.OPEN
    assert erp.call(dep, 2) == 4
    assert erp.state is State.CLOSED


def test_usage_falls_back_while_open(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    import snippets.reliability.circuit_breaker as cb

    monkeypatch.setattr(cb, "crm_breakers", Breakers(failure_threshold=2, reset_timeout=30.0, clock=clock))
    paths: list[str] = []

    def fetch(path: str) -> dict:
        paths.append(path)
        raise ConnectionError("CRM down")

    for _ in range(2):
        with pytest.raises(ConnectionError):
            cb.crm_customer(fetch, "42")
    assert cb.crm_customer(fetch, "42") is None  # open: fallback, no call
    assert paths == ["/customers/42", "/customers/42"]
    clock.advance(30)
    assert cb.crm_customer(lambda path: {"id": path.rsplit("/", 1)[1]}, "42") == {"id": "42"}
