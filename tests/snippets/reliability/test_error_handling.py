"""The composed layers: each one stops the failure it is there for."""

from __future__ import annotations

import random

import pytest

import snippets.reliability.error_handling as eh
from snippets.reliability.circuit_breaker import CircuitBreaker, CircuitOpenError, State
from snippets.reliability.retry_backoff import RetryableError
from snippets.reliability.timeouts_bulkheads import Bulkhead, BulkheadFull, Deadline, DeadlineExceeded


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class Flaky:
    """Fails with RetryableError the first `failures` times, then answers."""

    def __init__(self, failures: int, retry_after: float | None = None) -> None:
        self.failures = failures
        self.retry_after = retry_after
        self.calls = 0

    def __call__(self, deadline: Deadline) -> str:
        self.calls += 1
        deadline.remaining()
        if self.calls <= self.failures:
            raise RetryableError("HTTP 503", retry_after=self.retry_after)
        return "ok"


@pytest.fixture
def clock() -> Clock:
    return Clock()


def layers(clock: Clock, *, threshold: int = 5, deadline: float = 10.0) -> dict:
    return {
        "bulkhead": Bulkhead("crm", max_concurrent=2),
        "breaker": CircuitBreaker("crm", failure_threshold=threshold, reset_timeout=30.0, clock=clock),
        "deadline": Deadline(deadline, clock=clock),
        "sleep": clock.sleep,
        "rng": random.Random(3),
    }


def test_transient_failures_are_retried_to_success(clock: Clock) -> None:
    op = Flaky(failures=2)
    assert eh.call_dependency(op, **layers(clock)) == "ok"
    assert op.calls == 3
    assert 0 < clock.now <= 0.2 + 0.4


def test_attempts_run_out(clock: Clock) -> None:
    op = Flaky(failures=10)
    with pytest.raises(RetryableError):
        eh.call_dependency(op, max_attempts=3, **layers(clock))
    assert op.calls == 3


def test_retry_after_beyond_the_deadline_fails_now(clock: Clock) -> None:
    op = Flaky(failures=1, retry_after=20.0)
    with pytest.raises(RetryableError):
        eh.call_dependency(op, **layers(clock, deadline=10.0))
    assert clock.now == 0.0 and op.calls == 1


def test_spent_deadline_raises_deadline_exceeded(clock: Clock) -> None:
    parts = layers(clock, deadline=1.0)
    clock.now = 1.0
    with pytest.raises(DeadlineExceeded):
        eh.call_dependency(Flaky(failures=0), **parts)


def test_breaker_opens_and_later_calls_fail_fast(clock: Clock) -> None:
    parts = layers(clock, threshold=3, deadline=100.0)
    op = Flaky(failures=100)
    with pytest.raises(RetryableError):
        eh.call_dependency(op, max_attempts=3, **parts)
    assert parts["breaker"].state is State.OPEN
    calls = op.calls
    with pytest.raises(CircuitOpenError):
        eh.call_dependency(op, **parts)
    assert op.calls == calls


def test_full_bulkhead_rejects_before_calling(clock: Clock) -> None:
    parts = layers(clock)
    parts["bulkhead"] = Bulkhead("crm", max_concurrent=1)
    op = Flaky(failures=0)
    with parts["bulkhead"].slot(), pytest.raises(BulkheadFull):
        eh.call_dependency(op, **parts)
    assert op.calls == 0


@pytest.mark.parametrize(
    ("error", "action"),
    [
        (ValueError("bad currency"), "dead-letter"),
        (KeyError("customer"), "dead-letter"),
        (RetryableError("HTTP 503"), "retry-later"),
        (CircuitOpenError("crm", 10.0), "retry-later"),
        (BulkheadFull("crm"), "retry-later"),
        (DeadlineExceeded("late"), "retry-later"),
        (RuntimeError("unknown"), "retry-later"),
    ],
)
def test_classify(error: Exception, action: str) -> None:
    assert eh.classify(error) == action
