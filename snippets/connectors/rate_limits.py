"""A rate-limit-aware HTTP client shared by the connector snippets.

Every vendor signals "slow down" differently: most answer 429 with a
``Retry-After`` header, Salesforce answers 403 with ``REQUEST_LIMIT_EXCEEDED``,
NetSuite RESTlets answer 400 with ``SSS_REQUEST_LIMIT_EXCEEDED``. The client
below sorts a response into "fine", "wait and retry" or "stop", and retries
only the second kind, within a budget of attempts and of total waiting time.
"""

# --8<-- [start:client]
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from snippets.reliability.retry_backoff import parse_retry_after  # seconds or an HTTP date


class RateLimited(Exception):
    """The vendor asked us to slow down; retrying later is expected to work."""

    def __init__(self, response: httpx.Response, retry_after: float | None) -> None:
        super().__init__(f"{response.status_code} from {response.request.url}")
        self.response = response
        self.retry_after = retry_after


class QuotaExhausted(Exception):
    """A daily or rolling allocation is used up: retrying within minutes is pointless."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"allocation exhausted: {response.text[:200]}")
        self.response = response


def _error_codes(response: httpx.Response) -> set[str]:
    """Collect ``errorCode`` / ``code`` values from a JSON error body, if any."""
    try:
        body = response.json()
    except ValueError:
        return set()
    items = body if isinstance(body, list) else [body]
    codes = set()
    for item in items:
        if isinstance(item, dict):
            codes.update(str(item[k]) for k in ("errorCode", "code") if k in item)
            error = item.get("error")
            if isinstance(error, dict) and "code" in error:
                codes.add(str(error["code"]))
    return codes


def classify(response: httpx.Response, now: Callable[[], datetime]) -> None:
    """Raise :class:`RateLimited` or :class:`QuotaExhausted` for limit responses."""
    status = response.status_code
    retry_after = parse_retry_after(response.headers.get("Retry-After"), now().timestamp())
    codes = _error_codes(response) if status in (400, 403) else set()
    if status == 403 and "REQUEST_LIMIT_EXCEEDED" in codes:
        # Salesforce uses one code for two limits. "TotalRequests" is the
        # rolling 24-hour org allocation: stop. Otherwise it is the limit on
        # concurrent long-running calls, which clears as calls finish: retry.
        if "TotalRequests" in response.text:
            raise QuotaExhausted(response)
        raise RateLimited(response, retry_after)
    if status == 400 and "SSS_REQUEST_LIMIT_EXCEEDED" in codes:
        raise RateLimited(response, retry_after)  # NetSuite RESTlet concurrency
    if status in (429, 503):
        raise RateLimited(response, retry_after)


def _wait_for(fallback: Callable[[RetryCallState], float], cap: float) -> Callable[[RetryCallState], float]:
    """Wait as long as the server asked (capped), else use ``fallback``."""

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RateLimited) and error.retry_after is not None:
            return min(error.retry_after, cap)
        return fallback(state)

    return wait


def _stop_after_waiting(total: float) -> Callable[[RetryCallState], bool]:
    """Stop once the time spent sleeping between attempts reaches ``total``."""
    return lambda state: state.idle_for >= total


def send(
    client: httpx.Client,
    request: httpx.Request,
    *,
    max_attempts: int = 5,
    max_total_wait: float = 300.0,
    max_single_wait: float = 120.0,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> httpx.Response:
    """Send ``request``, backing off on rate limits within a bounded budget.

    Raises the last :class:`RateLimited` when the budget is spent, and
    :class:`QuotaExhausted` at once when waiting cannot help.
    """
    retrying = Retrying(
        retry=retry_if_exception_type(RateLimited),
        stop=stop_after_attempt(max_attempts) | _stop_after_waiting(max_total_wait),
        wait=_wait_for(wait_exponential_jitter(initial=1, max=max_single_wait), max_single_wait),
        sleep=sleep,
        reraise=True,
    )
    for attempt in retrying:
        with attempt:
            response = client.send(request)
            classify(response, now)
            response.raise_for_status()
    return response


# --8<-- [end:client]
