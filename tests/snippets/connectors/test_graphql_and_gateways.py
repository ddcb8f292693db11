"""A cost-aware GraphQL client against a local server that meters cost like Shopify's Admin API."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.connectors.graphql_and_gateways import CostAwareClient, CostBudget, GraphQLError

ORDERS = """
query Orders($first: Int!, $after: String) {
  orders(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } }
}
"""


def reply(body: dict) -> Response:
    return Response(json.dumps(body), content_type="application/json")


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class MeteredServer:
    """Bucket of 1,000 points refilling at 100 per second; a page costs 2 + first, charged up front."""

    def __init__(self, clock: FakeClock, total: int = 1000, bucket: float = 1000.0) -> None:
        self.clock, self.total = clock, total
        self.maximum, self.rate = 1000.0, 100.0
        self.available, self.at = bucket, clock()
        self.queries: dict[str, str] = {}
        self.full_texts = 0
        self.throttled = 0
        self.served: list[str] = []

    def _refill(self) -> None:
        self.available = min(self.maximum, self.available + (self.clock() - self.at) * self.rate)
        self.at = self.clock()

    def _status(self) -> dict:
        return {
            "maximumAvailable": self.maximum,
            "currentlyAvailable": self.available,
            "restoreRate": self.rate,
        }

    def handle(self, request: Request) -> Response:
        body = json.loads(request.data)
        digest = body["extensions"]["persistedQuery"]["sha256Hash"]
        if "query" in body:
            assert hashlib.sha256(body["query"].encode()).hexdigest() == digest
            self.queries[digest] = body["query"]
            self.full_texts += 1
        elif digest not in self.queries:
            error = {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
            return Response(json.dumps({"errors": [error]}), content_type="application/json")
        variables = body["variables"]
        first = variables["first"]
        requested = 2 + first
        self._refill()
        if requested > self.available:  # throttled inside an HTTP 200, as Shopify does
            self.throttled += 1
            cost = {
                "requestedQueryCost": requested,
                "actualQueryCost": None,
                "throttleStatus": self._status(),
            }
            errors = [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}]
            return Response(
                json.dumps({"errors": errors, "extensions": {"cost": cost}}), content_type="application/json"
            )
        start = int(variables["after"] or 0)
        ids = [f"gid://shop/Order/{n}" for n in range(start, min(start + first, self.total))]
        self.served += ids
        actual = 2 + len(ids)
        self.available -= actual
        page = {
            "pageInfo": {"hasNextPage": start + first < self.total, "endCursor": str(start + first)},
            "nodes": [{"id": i} for i in ids],
        }
        cost = {"requestedQueryCost": requested, "actualQueryCost": actual, "throttleStatus": self._status()}
        return Response(
            json.dumps({"data": {"orders": page}, "extensions": {"cost": cost}}),
            content_type="application/json",
        )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def client_for(httpserver: HTTPServer, server: MeteredServer, clock: FakeClock, **options) -> CostAwareClient:
    httpserver.expect_request("/graphql", method="POST").respond_with_handler(server.handle)
    http = httpx.Client(base_url=httpserver.url_for("/"), timeout=5)
    return CostAwareClient(http, "/graphql", budget=CostBudget(clock=clock), sleep=clock.sleep, **options)


def test_pacing_reads_every_page_once_without_being_throttled(httpserver, clock) -> None:
    server = MeteredServer(clock, total=1000)
    client = client_for(httpserver, server, clock)
    ids = [n["id"] for n in client.paginate(ORDERS, "orders", {"first": 100}, expected_cost=102)]
    assert len(ids) == 1000 and len(set(ids)) == 1000  # every order, once
    assert server.throttled == 0  # the client waited before the bucket ran dry
    # 10 pages x 102 points from a full 1,000-point bucket: only the last one or two pages wait.
    assert sum(clock.slept) == pytest.approx((10 * 102 - 1000 + 0) / 100, abs=1.1)


def test_a_throttled_request_waits_for_the_refill_and_is_retried(httpserver, clock) -> None:
    server = MeteredServer(clock, total=1000, bucket=100)  # another job drained the bucket
    client = client_for(httpserver, server, clock)
    data = client.execute(ORDERS, {"first": 200, "after": None}, expected_cost=1)  # we know nothing yet
    assert server.throttled == 1  # throttled inside an HTTP 200
    assert len(data["orders"]["nodes"]) == 200
    assert clock.slept == [0.0, pytest.approx((202 - 100) / 100)]  # waited exactly for the refill


def test_persisted_queries_send_the_text_once(httpserver, clock) -> None:
    server = MeteredServer(clock, total=300)
    client = client_for(httpserver, server, clock)
    list(client.paginate(ORDERS, "orders", {"first": 100}, expected_cost=102))
    assert server.full_texts == 1  # later pages send only the SHA-256 hash
    bodies = [json.loads(req.data) for req, _ in httpserver.log]
    assert sum("query" in b for b in bodies) == 1
    assert len(bodies) == 4  # hash miss, hash + text, then two pages by hash


def test_a_server_that_keeps_throttling_is_given_up_on(httpserver, clock) -> None:
    server = MeteredServer(clock, total=100, bucket=0)
    server.rate = 0.0  # never refills
    client = client_for(httpserver, server, clock, max_throttled=2)
    with pytest.raises(GraphQLError, match="still throttled after 2 retries"):
        client.execute(ORDERS, {"first": 10, "after": None})
    assert server.throttled == 3


def test_other_errors_and_odd_shapes_are_reported(httpserver, clock) -> None:
    httpserver.expect_request("/graphql", method="POST").respond_with_json(
        {"errors": [{"message": "Field 'orderz' doesn't exist on type 'QueryRoot'"}]}
    )
    http = httpx.Client(base_url=httpserver.url_for("/"), timeout=5)
    client = CostAwareClient(http, "/graphql", budget=CostBudget(clock=clock), sleep=clock.sleep)
    with pytest.raises(GraphQLError, match="orderz"):
        client.execute("{ orderz }")
    httpserver.clear()
    httpserver.expect_request("/graphql", method="POST").respond_with_json({"data": {"orders": None}})
    with pytest.raises(GraphQLError, match="no orders.nodes/pageInfo"):
        list(client.paginate(ORDERS, "orders", {"first": 1}, expected_cost=3))


def test_budget_refills_up_to_the_maximum(clock) -> None:
    budget = CostBudget(clock=clock)
    assert budget.estimate() is None and budget.wait_for(500) == 0.0
    budget.update({"maximumAvailable": 1000, "currentlyAvailable": 100, "restoreRate": 50})
    assert budget.wait_for(600) == pytest.approx(10.0)
    clock.now += 4
    assert budget.estimate() == 300
    clock.now += 100
    assert budget.estimate() == 1000  # never above the bucket size
    assert budget.wait_for(5000) == 0.0  # larger than the bucket: send, the server will say
