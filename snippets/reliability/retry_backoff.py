"""Retry an HTTP call safely: retryable failures only, Retry-After honoured, bounded attempts and time."""

# --8<-- [start:imports]
import datetime
import email.utils
import random
import time
from collections.abc import Callable
from typing import Any

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_random_exponential,
)

# --8<-- [end:imports]


# --8<-- [start:classify]
# 408 Request Timeout, 425 Too Early, 429 Too Many Requests and the 5xx codes that
# mean "try again later". 501 Not Implemented and every other 4xx will fail again.
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class RetryableError(Exception):
    """A failure worth another attempt, with the delay the server asked for, if any."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait, from a Retry-After value: delay-seconds or an HTTP-date."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # unparseable: fall back to our own backoff
    if when.tzinfo is None:  # "-0000" means UTC without saying so; never the local zone
        when = when.replace(tzinfo=datetime.UTC)
    return max(0.0, when.timestamp() - now)


def fetch(client: httpx.Client, url: str, now: Callable[[], float] = time.time) -> httpx.Response:
    """One attempt. Raises RetryableError for failures that may pass on a later try."""
    try:
        response = client.get(url)
    except httpx.TransportError as error:  # connect failure, timeout, dropped connection
        raise RetryableError(f"{type(error).__name__}: {error}") from error
    if response.status_code in RETRYABLE_STATUS:
        delay = parse_retry_after(response.headers.get("Retry-After"), now())
        raise RetryableError(f"HTTP {response.status_code}", retry_after=delay)
    response.raise_for_status()  # any other error status is final: httpx.HTTPStatusError
    return response


# --8<-- [end:classify]


# --8<-- [start:tenacity]
def wait_retry_after(fallback: Callable[[RetryCallState], float]) -> Callable[[RetryCallState], float]:
    """Wait as long as the server asked; otherwise use the fallback backoff."""

    def wait(retry_state: RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(error, RetryableError) and error.retry_after is not None:
            return error.retry_after
        return fallback(retry_state)

    return wait


def get_json(
    client: httpx.Client,
    url: str,
    *,
    max_attempts: int = 5,
    budget_seconds: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], float] = time.time,  # wall clock, for Retry-After dates
) -> Any:
    retrying = Retrying(
        retry=retry_if_exception_type(RetryableError),
        # Full jitter: a uniform wait in [0, min(10, 0.5 * 2**(attempt - 1))] seconds.
        wait=wait_retry_after(wait_random_exponential(multiplier=0.5, max=10)),
        # Give up after 5 attempts, or before a wait that would end past the budget.
        stop=stop_after_attempt(max_attempts) | stop_before_delay(budget_seconds),
        sleep=sleep,
        reraise=True,  # the caller sees the last real error, not tenacity's RetryError
    )
    return retrying(fetch, client, url, now).json()


# --8<-- [end:tenacity]


# --8<-- [start:by_hand]
def get_json_by_hand(
    client: httpx.Client,
    url: str,
    *,
    max_attempts: int = 5,
    budget_seconds: float = 30.0,
    base: float = 0.5,
    cap: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], float] = time.time,
    rng: random.Random | None = None,
) -> Any:
    rng = rng or random.Random()
    started = clock()
    attempt = 0
    while True:
        attempt += 1
        try:
            return fetch(client, url, now).json()
        except RetryableError as error:
            if attempt >= max_attempts:
                raise
            if error.retry_after is not None:
                delay = error.retry_after
            else:
                delay = rng.uniform(0, min(cap, base * 2 ** (attempt - 1)))  # full jitter
            if clock() - started + delay >= budget_seconds:
                raise  # waiting would overrun the budget: fail now, not later
            sleep(delay)


# --8<-- [end:by_hand]


# --8<-- [start:jitter]
def full_jitter(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Uniform in [0, ceiling]: the widest spread, the least total work."""
    return rng.uniform(0, min(cap, base * 2**attempt))


def equal_jitter(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Half the ceiling is fixed, half is random: never retries immediately."""
    ceiling = min(cap, base * 2**attempt)
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def decorrelated_jitter(previous: float, base: float, cap: float, rng: random.Random) -> float:
    """Grows from the previous wait, not from the attempt number."""
    return min(cap, rng.uniform(base, previous * 3))


# --8<-- [end:jitter]


# --8<-- [start:bounds]
STRATEGIES = ("none", "full", "equal", "decorrelated")


def wait_bounds(strategy: str, attempt: int, base: float, cap: float) -> tuple[float, float]:
    """Shortest and longest wait each strategy can draw before retry `attempt` (0 = first)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}")
    if attempt < 0 or base <= 0 or cap < base:
        raise ValueError("need attempt >= 0, base > 0 and cap >= base")
    ceiling = min(cap, base * 2**attempt)
    if strategy == "none":
        return ceiling, ceiling
    if strategy == "full":
        return 0.0, ceiling
    if strategy == "equal":
        return ceiling / 2, ceiling
    # Decorrelated: the first wait is drawn from [base, 3 x base], each later one
    # from [base, 3 x the previous wait], so the top grows threefold until the cap.
    return base, min(cap, base * 3 ** (attempt + 1))


# --8<-- [end:bounds]


# --8<-- [start:budget]
class RetryBudget:
    """Per-client limit on retries: each request earns `ratio` of a retry.

    With ratio 0.1, retries stay near 10% of traffic once the reserve is spent,
    so a struggling dependency sees at most about 1.1x its normal load.
    """

    def __init__(self, ratio: float = 0.1, reserve: float = 10.0) -> None:
        self.ratio = ratio
        self.capacity = reserve
        self.tokens = reserve

    def record_request(self) -> None:
        self.tokens = min(self.capacity, self.tokens + self.ratio)

    def try_spend(self) -> bool:
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


# --8<-- [end:budget]
