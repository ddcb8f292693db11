"""The diff-based sync against a real HTTP server on 127.0.0.1.

The server behaves like a strict CRM bulk API: it checks the bearer token,
refuses batches over its size limit (413), throttles more than two requests
per second of its clock (429 with Retry-After), rejects records with an
invalid email, and can be told to lock a record once or to fail with 503.
Client and server share a fake clock, so throttling is real and the test
never sleeps.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import duckdb
import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.reverse_etl.diff_based_sync import Change, CrmClient, run_sync

TOKEN = "test-token-not-a-secret"
BATCH_LIMIT = 3
REQUESTS_PER_SECOND = 2


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class FakeCrm:
    def __init__(self, server: HTTPServer, clock: FakeClock) -> None:
        self.clock = clock
        self.contacts: dict[str, dict] = {}
        self.window: list[float] = []
        self.batch_sizes: list[int] = []
        self.statuses: list[int] = []
        self.idempotency_keys: list[str] = []
        self.lock_once: set[str] = set()
        self.unavailable_for = 0  # answer 503 to this many next requests
        server.expect_request("/v1/contacts/batch_upsert", method="POST").respond_with_handler(self.upsert)
        server.expect_request("/v1/contacts/batch_delete", method="POST").respond_with_handler(self.delete)

    def _gate(self, request: Request, items: list) -> Response | None:
        self.idempotency_keys.append(request.headers.get("Idempotency-Key", ""))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._reply(401, {"error": "unauthorised"})
        if len(items) > BATCH_LIMIT:
            return self._reply(413, {"error": f"at most {BATCH_LIMIT} records per batch"})
        self.window = [t for t in self.window if self.clock.now - t < 1.0]
        if len(self.window) >= REQUESTS_PER_SECOND:
            return self._reply(429, {"error": "slow down"}, {"Retry-After": "1"})
        self.window.append(self.clock.now)
        if self.unavailable_for:
            self.unavailable_for -= 1
            return self._reply(503, {"error": "maintenance"})
        self.batch_sizes.append(len(items))
        return None

    def _reply(self, status: int, body: dict, headers: dict | None = None) -> Response:
        self.statuses.append(status)
        return Response(json.dumps(body), status=status, headers=headers, content_type="application/json")

    def upsert(self, request: Request) -> Response:
        records = json.loads(request.data)["records"]
        refused = self._gate(request, records)
        if refused:
            return refused
        results = []
        for record in records:
            key = record["external_id"]
            if "@" not in (record.get("email") or ""):
                results.append({"external_id": key, "status": "error", "error": "invalid email"})
            elif key in self.lock_once:
                self.lock_once.discard(key)
                results.append(
                    {"external_id": key, "status": "error", "error": "record locked", "retryable": True}
                )
            else:
                self.contacts[key] = record
                results.append({"external_id": key, "status": "ok"})
        return self._reply(200, {"results": results})

    def delete(self, request: Request) -> Response:
        keys = json.loads(request.data)["external_ids"]
        refused = self._gate(request, keys)
        if refused:
            return refused
        for key in keys:
            self.contacts.pop(key, None)
        return self._reply(200, {"results": [{"external_id": k, "status": "ok"} for k in keys]})


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def crm(httpserver: HTTPServer, clock: FakeClock) -> FakeCrm:
    return FakeCrm(httpserver, clock)


@pytest.fixture
def client(httpserver: HTTPServer, clock: FakeClock) -> CrmClient:
    return CrmClient(httpserver.url_for("/"), TOKEN, max_batch=BATCH_LIMIT, sleep=clock.sleep)


@pytest.fixture
def warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE customers (id INTEGER, email VARCHAR, plan VARCHAR, ltv DECIMAL(10, 2))")
    con.execute(
        """
        INSERT INTO customers VALUES
          (1, 'ada@example.com', 'pro', 1200.50), (2, 'bob@example.com', 'free', 0),
          (3, 'not-an-email', 'pro', 300), (4, 'dan@example.com', 'team', 80.25),
          (5, 'eve@example.com', 'pro', 990), (6, 'fay@example.com', 'free', 15),
          (7, 'gus@example.com', 'team', 410)
        """
    )
    con.execute(
        "CREATE VIEW crm_contacts_model AS "
        "SELECT 'cus_' || id AS external_id, email, plan, ltv FROM customers"
    )
    return con


def fixed_now() -> datetime:
    return datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def failed_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT sync_key, operation, error, retryable, attempts FROM sync_failed_rows ORDER BY sync_key"
    ).fetchall()


def test_first_run_respects_batch_size_and_rate_limit_and_records_rejects(warehouse, crm, client) -> None:
    report = run_sync(warehouse, client, now=fixed_now)

    assert report.upserted == 6
    assert report.failed == ["cus_3"]
    assert max(crm.batch_sizes) <= BATCH_LIMIT and sum(crm.batch_sizes) == 7
    assert 413 not in crm.statuses
    assert 429 in crm.statuses  # three batches at once exceed 2 requests/s: throttled, then retried
    assert set(crm.contacts) == {f"cus_{i}" for i in (1, 2, 4, 5, 6, 7)}
    assert crm.contacts["cus_1"] == {
        "external_id": "cus_1",
        "email": "ada@example.com",
        "plan": "pro",
        "ltv": 1200.5,
    }
    assert failed_rows(warehouse) == [("cus_3", "upsert", "invalid email", False, 1)]
    assert warehouse.execute("SELECT count(*) FROM sync_snapshot").fetchone() == (6,)


def test_second_run_with_no_changes_sends_nothing(warehouse, crm, client) -> None:
    run_sync(warehouse, client, now=fixed_now)
    statuses_after_first = len(crm.statuses)

    report = run_sync(warehouse, client, now=fixed_now)

    assert report.requests == 0 and report.upserted == 0 and report.failed == []
    assert len(crm.statuses) == statuses_after_first
    # the permanently rejected row waits for its data to change; it is not resent
    assert failed_rows(warehouse) == [("cus_3", "upsert", "invalid email", False, 1)]


def test_changes_fixes_and_deletes_are_sent_and_nothing_else(warehouse, crm, client) -> None:
    run_sync(warehouse, client, now=fixed_now)
    warehouse.execute("UPDATE customers SET plan = 'enterprise' WHERE id = 2")
    warehouse.execute("UPDATE customers SET email = 'cy@example.com' WHERE id = 3")
    warehouse.execute("DELETE FROM customers WHERE id = 7")
    crm.batch_sizes.clear()

    report = run_sync(warehouse, client, now=fixed_now)

    assert (report.upserted, report.deleted, report.failed) == (2, 1, [])
    assert crm.batch_sizes == [2, 1]
    assert crm.contacts["cus_2"]["plan"] == "enterprise"
    assert crm.contacts["cus_3"]["email"] == "cy@example.com"
    assert "cus_7" not in crm.contacts
    assert failed_rows(warehouse) == []
    assert run_sync(warehouse, client, now=fixed_now).requests == 0


def test_a_refused_row_that_leaves_the_model_is_forgotten(warehouse, crm, client) -> None:
    run_sync(warehouse, client, now=fixed_now)
    warehouse.execute("DELETE FROM customers WHERE id = 3")  # the invalid email

    report = run_sync(warehouse, client, now=fixed_now)

    assert report.requests == 0  # it never reached the CRM, so there is nothing to delete
    assert failed_rows(warehouse) == []


def test_upsert_only_sync_never_deletes(warehouse, crm, client) -> None:
    run_sync(warehouse, client, now=fixed_now)
    warehouse.execute("DELETE FROM customers WHERE id = 7")

    report = run_sync(warehouse, client, mirror=False, now=fixed_now)

    assert report.deleted == 0 and report.requests == 0
    assert "cus_7" in crm.contacts


def test_retryable_record_error_is_resent_on_the_next_run(warehouse, crm, client) -> None:
    crm.lock_once.add("cus_5")
    first = run_sync(warehouse, client, now=fixed_now)
    assert "cus_5" in first.failed
    assert ("cus_5", "upsert", "record locked", True, 1) in failed_rows(warehouse)

    second = run_sync(warehouse, client, now=fixed_now)

    assert second.upserted == 1 and second.failed == []
    assert "cus_5" in crm.contacts
    assert failed_rows(warehouse) == [("cus_3", "upsert", "invalid email", False, 1)]


def test_server_errors_are_retried_with_the_same_idempotency_key(warehouse, crm, client) -> None:
    crm.unavailable_for = 2
    report = run_sync(warehouse, client, now=fixed_now)

    assert crm.statuses[:2] == [503, 503]
    assert crm.idempotency_keys[0] == crm.idempotency_keys[1] == crm.idempotency_keys[2]
    assert report.upserted == 6


def test_batch_kept_for_next_run_when_retries_run_out(warehouse, crm, httpserver, clock) -> None:
    client = CrmClient(
        httpserver.url_for("/"), TOKEN, max_batch=BATCH_LIMIT, max_attempts=2, sleep=clock.sleep
    )
    crm.unavailable_for = 2  # the whole first batch fails twice

    first = run_sync(warehouse, client, now=fixed_now)
    assert first.failed[:3] == ["cus_1", "cus_2", "cus_3"]
    assert ("cus_1", "upsert", "HTTP 503 from /v1/contacts/batch_upsert", True, 1) in failed_rows(warehouse)

    second = run_sync(warehouse, client, now=fixed_now)
    assert second.upserted == 2 and second.failed == ["cus_3"]
    assert set(crm.contacts) == {f"cus_{i}" for i in (1, 2, 4, 5, 6, 7)}


def test_oversized_batch_is_a_bug_not_a_retry(crm, httpserver, clock) -> None:
    client = CrmClient(httpserver.url_for("/"), TOKEN, max_batch=10, sleep=clock.sleep)
    batch = [Change("upsert", f"k{i}", "h", {"external_id": f"k{i}", "email": "a@b.c"}) for i in range(4)]

    with pytest.raises(httpx.HTTPStatusError, match="413"):
        client.send("upsert", batch)
    assert crm.statuses == [413]


def test_wrong_token_is_not_retried(crm, httpserver, clock, warehouse) -> None:
    client = CrmClient(httpserver.url_for("/"), "wrong", max_batch=BATCH_LIMIT, sleep=clock.sleep)

    with pytest.raises(httpx.HTTPStatusError, match="401"):
        run_sync(warehouse, client, now=fixed_now)
    assert crm.statuses == [401]
