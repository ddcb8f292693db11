"""A GraphQL client that budgets query cost from the server's throttle extensions."""

# --8<-- [start:budget]
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx


@dataclass
class CostBudget:
    """Our copy of the server's leaky bucket, refreshed from every response's throttle status."""

    clock: Callable[[], float] = time.monotonic
    available: float | None = None  # unknown until the first response
    maximum: float = 0.0
    restore_rate: float = 0.0
    observed_at: float = 0.0

    def update(self, throttle_status: dict) -> None:
        self.available = float(throttle_status["currentlyAvailable"])
        self.maximum = float(throttle_status["maximumAvailable"])
        self.restore_rate = float(throttle_status["restoreRate"])
        self.observed_at = self.clock()

    def estimate(self) -> float | None:
        if self.available is None:
            return None
        refilled = self.available + (self.clock() - self.observed_at) * self.restore_rate
        return min(self.maximum, refilled)

    def wait_for(self, cost: float) -> float:
        """Seconds to wait before a query of this cost fits; 0 when we know nothing yet."""
        now = self.estimate()
        if now is None or now >= cost or self.restore_rate <= 0:
            return 0.0
        return (min(cost, self.maximum) - now) / self.restore_rate


# --8<-- [end:budget]


# --8<-- [start:client]
class GraphQLError(Exception):
    """The server answered with errors other than throttling, or an unexpected shape."""


class CostAwareClient:
    """Pace queries by cost, retry throttled ones, and send persisted-query hashes."""

    def __init__(
        self,
        http: httpx.Client,
        path: str,
        *,
        budget: CostBudget,
        sleep: Callable[[float], None] = time.sleep,
        max_throttled: int = 5,
    ) -> None:
        self.http, self.path, self.budget, self.sleep = http, path, budget, sleep
        self.max_throttled = max_throttled
        self.last_cost: dict[str, float] = {}  # actual cost seen per query, our best estimate
        self.registered: set[str] = set()

    def execute(self, query: str, variables: dict | None = None, *, expected_cost: float = 1.0) -> dict:
        digest = hashlib.sha256(query.encode()).hexdigest()
        cost = self.last_cost.get(digest, expected_cost)
        for _ in range(self.max_throttled + 1):
            self.sleep(self.budget.wait_for(cost))  # pace first: cheaper than being throttled
            body = self._post(query, digest, variables or {})
            extensions_cost = (body.get("extensions") or {}).get("cost") or {}
            if "throttleStatus" in extensions_cost:
                self.budget.update(extensions_cost["throttleStatus"])
            codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
            if "THROTTLED" in codes:
                cost = float(extensions_cost.get("requestedQueryCost", cost))
                continue
            if body.get("errors"):
                raise GraphQLError(body["errors"][0].get("message", "GraphQL error"))
            if "actualQueryCost" in extensions_cost:
                self.last_cost[digest] = float(extensions_cost["actualQueryCost"])
            return body["data"]
        raise GraphQLError(f"still throttled after {self.max_throttled} retries")

    def _post(self, query: str, digest: str, variables: dict) -> dict:
        """Automatic persisted queries: send the hash; send the text only when the server asks."""
        persisted = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        payload: dict = {"variables": variables, "extensions": persisted}
        if digest not in self.registered:
            body = self.http.post(self.path, json=payload).raise_for_status().json()
            codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
            if "PERSISTED_QUERY_NOT_FOUND" not in codes:
                self.registered.add(digest)
                return body
            payload["query"] = query
            self.registered.add(digest)
        return self.http.post(self.path, json=payload).raise_for_status().json()

    def paginate(
        self, query: str, connection: str, variables: dict, *, expected_cost: float
    ) -> Iterator[dict]:
        """Follow pageInfo.endCursor until hasNextPage is false."""
        after = None
        while True:
            data = self.execute(query, {**variables, "after": after}, expected_cost=expected_cost)
            try:
                page = data[connection]
                nodes, info = page["nodes"], page["pageInfo"]
            except (KeyError, TypeError) as error:
                raise GraphQLError(f"response has no {connection}.nodes/pageInfo") from error
            yield from nodes
            if not info["hasNextPage"]:
                return
            after = info["endCursor"]


# --8<-- [end:client]
