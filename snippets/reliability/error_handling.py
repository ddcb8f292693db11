"""The layers together: bulkhead, circuit breaker, retry with a deadline, then dead-letter."""

# --8<-- [start:layers]
import random
import time
from collections.abc import Callable
from typing import Any

from snippets.reliability.circuit_breaker import CircuitBreaker, CircuitOpenError
from snippets.reliability.retry_backoff import RetryableError
from snippets.reliability.timeouts_bulkheads import Bulkhead, BulkheadFull, Deadline, DeadlineExceeded


def call_dependency(
    operation: Callable[[Deadline], Any],
    *,
    bulkhead: Bulkhead,
    breaker: CircuitBreaker,
    deadline: Deadline,
    max_attempts: int = 3,
    base: float = 0.2,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> Any:
    """Outside in: cap concurrency, fail fast if the dependency is down, retry within the deadline."""
    rng = rng or random.Random()
    attempt = 0
    with bulkhead.slot():  # BulkheadFull: too many calls in flight already
        while True:
            attempt += 1
            try:
                # CircuitOpenError: known to be down. Each failed attempt counts once.
                return breaker.call(operation, deadline)  # operation sets timeouts from the deadline
            except RetryableError as error:
                if attempt >= max_attempts:
                    raise
                wait = error.retry_after or rng.uniform(0, base * 2 ** (attempt - 1))
                if wait >= deadline.remaining():  # DeadlineExceeded if nothing is left
                    raise
                sleep(wait)


PERMANENT = (ValueError, KeyError)  # bad data: retrying will not help
TRANSIENT = (RetryableError, CircuitOpenError, BulkheadFull, DeadlineExceeded)


def classify(error: Exception) -> str:
    """What the message consumer does with a failed message."""
    if isinstance(error, PERMANENT):
        return "dead-letter"  # straight to the DLQ, with the error
    # TRANSIENT, and anything unknown: reschedule with backoff; the consumer's
    # attempt cap moves it to the DLQ if it never succeeds.
    return "retry-later"


# --8<-- [end:layers]
