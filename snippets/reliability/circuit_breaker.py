"""A circuit breaker: stop calling a dependency that keeps failing, probe it, then resume."""

# --8<-- [start:breaker]
import threading
import time
from collections.abc import Callable
from enum import Enum
from typing import TypeVar

T = TypeVar("T")


class State(Enum):
    CLOSED = "closed"  # calls flow; consecutive failures are counted
    OPEN = "open"  # calls fail fast until the reset timeout has passed
    HALF_OPEN = "half_open"  # one probe call decides: close again or reopen


class CircuitOpenError(Exception):
    """Raised instead of calling the dependency while the circuit is open."""

    def __init__(self, name: str, retry_in: float) -> None:
        super().__init__(f"circuit '{name}' is open; next probe in {retry_in:.1f}s")
        self.retry_in = retry_in


class CircuitBreaker:
    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int = 5,
        reset_timeout: float = 30.0,
        counts_as_failure: Callable[[Exception], bool] = lambda error: True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.counts_as_failure = counts_as_failure
        self.clock = clock
        self._state = State.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._probe_in_flight = False
        self._lock = threading.Lock()

    @property
    def state(self) -> State:
        with self._lock:
            return self._current_state()

    def _current_state(self) -> State:
        if self._state is State.OPEN and self.clock() - self._opened_at >= self.reset_timeout:
            self._state = State.HALF_OPEN
        return self._state

    def call(self, func: Callable[..., T], *args: object, **kwargs: object) -> T:
        self._before_call()
        try:
            result = func(*args, **kwargs)
        except Exception as error:
            if self.counts_as_failure(error):
                self._on_failure()
            else:
                self._on_success()  # e.g. a 404: the dependency answered, it is healthy
            raise
        self._on_success()
        return result

    def _before_call(self) -> None:
        with self._lock:
            state = self._current_state()
            if state is State.CLOSED:
                return
            if state is State.HALF_OPEN and not self._probe_in_flight:
                self._probe_in_flight = True  # this caller is the probe
                return
            retry_in = max(0.0, self._opened_at + self.reset_timeout - self.clock())
            raise CircuitOpenError(self.name, retry_in)

    def _on_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._probe_in_flight = False
            self._state = State.CLOSED

    def _on_failure(self) -> None:
        with self._lock:
            self._probe_in_flight = False
            self._failures += 1
            if self._state is State.HALF_OPEN or self._failures >= self.failure_threshold:
                self._state = State.OPEN
                self._opened_at = self.clock()


# --8<-- [end:breaker]


# --8<-- [start:per_dependency]
class Breakers:
    """One breaker per dependency, so a failing CRM does not block the ERP."""

    def __init__(self, **settings: object) -> None:
        self._settings = settings
        self._breakers: dict[str, CircuitBreaker] = {}
        self._lock = threading.Lock()

    def for_dependency(self, name: str) -> CircuitBreaker:
        with self._lock:
            if name not in self._breakers:
                self._breakers[name] = CircuitBreaker(name, **self._settings)  # type: ignore[arg-type]
            return self._breakers[name]


# --8<-- [end:per_dependency]


# --8<-- [start:usage]
crm_breakers = Breakers(failure_threshold=5, reset_timeout=30.0)


def crm_customer(fetch: Callable[[str], dict], customer_id: str) -> dict | None:
    """Wrap one call to the CRM; return None while the CRM is known to be down."""
    try:
        return crm_breakers.for_dependency("crm").call(fetch, f"/customers/{customer_id}")
    except CircuitOpenError:
        return None  # the caller shows cached data or queues the work


# --8<-- [end:usage]
