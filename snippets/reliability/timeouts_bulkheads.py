"""Timeouts on every remote call, a deadline shared by all attempts, and bulkheads per dependency."""

# --8<-- [start:imports]
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

# --8<-- [end:imports]


# --8<-- [start:timeouts]
# httpx's default is 5 s for each phase. Set each phase on purpose: connecting
# should be quick; reading may wait for a slow query; the pool wait is how long
# a caller queues for a free connection before giving up.
CRM_TIMEOUT = httpx.Timeout(connect=2.0, read=10.0, write=10.0, pool=1.0)


def crm_client(base_url: str) -> httpx.Client:
    limits = httpx.Limits(max_connections=20, max_keepalive_connections=10)
    return httpx.Client(base_url=base_url, timeout=CRM_TIMEOUT, limits=limits)


# --8<-- [end:timeouts]


# --8<-- [start:deadline]
class DeadlineExceeded(Exception):
    pass


class Deadline:
    """One time budget for a whole operation, shared by every call and retry inside it."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.expires_at = clock() + seconds

    def remaining(self) -> float:
        left = self.expires_at - self.clock()
        if left <= 0:
            raise DeadlineExceeded("no time left for this operation")
        return left

    def timeout(self, per_call: httpx.Timeout) -> httpx.Timeout:
        """Shrink each phase of the per-call timeout to what is left of the deadline."""
        left = self.remaining()
        return httpx.Timeout(
            connect=min(per_call.connect or left, left),
            read=min(per_call.read or left, left),
            write=min(per_call.write or left, left),
            pool=min(per_call.pool or left, left),
        )


def get_customer(client: httpx.Client, customer_id: str, deadline: Deadline) -> dict[str, object]:
    response = client.get(f"/customers/{customer_id}", timeout=deadline.timeout(CRM_TIMEOUT))
    response.raise_for_status()
    return response.json()


# --8<-- [end:deadline]


# --8<-- [start:bulkhead]
class BulkheadFull(Exception):
    pass


class Bulkhead:
    """At most `max_concurrent` calls to one dependency; others wait briefly, then fail fast."""

    def __init__(self, name: str, max_concurrent: int, max_wait: float = 0.0) -> None:
        self.name = name
        self.max_wait = max_wait
        self._slots = threading.BoundedSemaphore(max_concurrent)

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self._slots.acquire(timeout=self.max_wait):
            raise BulkheadFull(f"{self.name}: all slots busy")
        try:
            yield
        finally:
            self._slots.release()


# One bulkhead per dependency: a slow ERP can hold 4 threads, never the whole pool.
BULKHEADS = {"crm": Bulkhead("crm", max_concurrent=8), "erp": Bulkhead("erp", max_concurrent=4)}
# --8<-- [end:bulkhead]
