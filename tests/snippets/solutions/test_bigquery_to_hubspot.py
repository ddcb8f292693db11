"""Warehouse LTV model -> HubSpot contacts, end to end against a local HubSpot stand-in.

DuckDB stands in for BigQuery; a local HTTP server answers like HubSpot's
properties and batch upsert endpoints, including 429 with Retry-After and a
400 that fails a whole batch because of one bad value.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import duckdb
import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.reverse_etl.diff_based_sync import run_sync
from snippets.solutions.bigquery_to_hubspot import LTV_MODEL, HubSpotContacts, ensure_properties

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
UPSERT = "/crm/v3/objects/contacts/batch/upsert"


class FakeHubSpot:
    """Contacts keyed by customer_id, with HubSpot's batch semantics."""

    def __init__(self) -> None:
        self.contacts: dict[str, dict] = {}
        self.batches: list[list[dict]] = []
        self.throttle = 0  # answer 429 this many times first

    def upsert(self, request: Request) -> Response:
        if self.throttle:
            self.throttle -= 1
            return Response(
                json.dumps(
                    {
                        "status": "error",
                        "category": "RATE_LIMITS",
                        "message": "You have reached your secondly limit.",
                    }
                ),
                status=429,
                headers={"Retry-After": "1", "Content-Type": "application/json"},
            )
        inputs = json.loads(request.data)["inputs"]
        self.batches.append(inputs)
        for item in inputs:
            band = item["properties"].get("ltv_band")
            if band not in ("high", "medium", "low"):
                body = {
                    "status": "error",
                    "category": "VALIDATION_ERROR",
                    "message": f"{band!r} was not one of the allowed options",
                }
                return Response(json.dumps(body), status=400, content_type="application/json")
        results = []
        for item in inputs:
            new = item["id"] not in self.contacts
            self.contacts[item["id"]] = {**self.contacts.get(item["id"], {}), **item["properties"]}
            props = {"customer_id": item["id"], **self.contacts[item["id"]]}
            results.append({"id": f"hs-{item['id']}", "new": new, "properties": props})
        return Response(
            json.dumps({"status": "COMPLETE", "results": results}),
            status=200,
            content_type="application/json",
        )


@pytest.fixture
def hubspot(httpserver: HTTPServer) -> FakeHubSpot:
    fake = FakeHubSpot()
    httpserver.expect_request(UPSERT, method="POST").respond_with_handler(fake.upsert)
    return fake


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute("CREATE TABLE customer_ltv (customer_id VARCHAR, lifetime_value DOUBLE)")
    connection.execute(LTV_MODEL)
    yield connection
    connection.close()


def sync(con, client: HubSpotContacts):
    return run_sync(con, client, model="hubspot_ltv_model", key="customer_id", mirror=False, now=lambda: NOW)


def client_for(httpserver: HTTPServer, waits: list[float] | None = None) -> HubSpotContacts:
    sleep = waits.append if waits is not None else (lambda s: None)
    return HubSpotContacts(httpserver.url_for("/"), "pat-token", sleep=sleep, now=lambda: NOW)


def test_hourly_runs_send_only_what_changed_in_batches_of_100(httpserver, hubspot, con) -> None:
    con.executemany("INSERT INTO customer_ltv VALUES (?, ?)", [(f"C{i:03}", 50.0 * i) for i in range(250)])
    first = sync(con, client_for(httpserver))
    assert (first.upserted, first.requests) == (250, 3)
    assert [len(b) for b in hubspot.batches] == [100, 100, 50]
    assert hubspot.contacts["C201"] == {"ltv_score": 10050.0, "ltv_band": "high"}
    assert hubspot.batches[0][0] == {
        "idProperty": "customer_id",
        "id": "C000",
        "properties": {"ltv_score": 0.0, "ltv_band": "low"},
    }
    # An hour later two scores moved: two rows, one request.
    con.execute(
        "UPDATE customer_ltv SET lifetime_value = lifetime_value + 1 WHERE customer_id IN ('C001', 'C002')"
    )
    second = sync(con, client_for(httpserver))
    assert (second.upserted, second.requests) == (2, 1)
    # Nothing changed: no request at all. Replaying the same data changes nothing in HubSpot.
    assert sync(con, client_for(httpserver)).requests == 0
    assert len(hubspot.contacts) == 250


def test_a_429_is_waited_out_with_retry_after(httpserver, hubspot, con) -> None:
    con.execute("INSERT INTO customer_ltv VALUES ('C1', 20000)")
    hubspot.throttle = 2
    waits: list[float] = []
    report = sync(con, client_for(httpserver, waits))
    assert waits == [1.0, 1.0]
    assert report.upserted == 1 and hubspot.contacts["C1"]["ltv_band"] == "high"


def test_throttled_beyond_the_budget_keeps_rows_for_the_next_run(httpserver, hubspot, con) -> None:
    con.execute("INSERT INTO customer_ltv VALUES ('C1', 5)")
    hubspot.throttle = 10
    report = sync(con, client_for(httpserver))
    assert report.failed == ["C1"] and hubspot.contacts == {}
    assert con.execute("SELECT retryable FROM sync_failed_rows").fetchone() == (True,)
    hubspot.throttle = 0
    assert sync(con, client_for(httpserver)).upserted == 1


def test_one_poison_row_is_isolated_and_the_rest_of_its_batch_goes_through(httpserver, hubspot, con) -> None:
    con.executemany("INSERT INTO customer_ltv VALUES (?, ?)", [("C1", 10), ("C2", 20), ("C3", 30)])
    con.execute(
        "CREATE OR REPLACE VIEW hubspot_ltv_model AS SELECT customer_id, lifetime_value AS ltv_score,"
        " CASE WHEN customer_id = 'C2' THEN 'platinum' ELSE 'low' END AS ltv_band FROM customer_ltv"
    )
    report = sync(con, client_for(httpserver))
    assert report.upserted == 2 and report.failed == ["C2"]
    assert sorted(hubspot.contacts) == ["C1", "C3"]
    error, retryable = con.execute("SELECT error, retryable FROM sync_failed_rows").fetchone()
    assert "'platinum' was not one of the allowed options" in error and retryable is False
    # Unchanged, it is not sent again; the model fix sends it once.
    assert sync(con, client_for(httpserver)).requests == 0
    con.execute(LTV_MODEL)
    fixed = sync(con, client_for(httpserver))
    assert fixed.failed == [] and "C2" in hubspot.contacts


def test_missing_results_are_retried_next_run(httpserver: HTTPServer, con) -> None:
    httpserver.expect_request(UPSERT, method="POST").respond_with_json({"status": "COMPLETE", "results": []})
    con.execute("INSERT INTO customer_ltv VALUES ('C9', 1)")
    report = sync(con, client_for(httpserver))
    assert report.failed == ["C9"]
    assert con.execute("SELECT error, retryable FROM sync_failed_rows").fetchone() == (
        "missing from results",
        True,
    )


def test_properties_are_created_once(httpserver: HTTPServer) -> None:
    created: list[dict] = []

    def create(request: Request) -> Response:
        body = json.loads(request.data)
        created.append(body)
        status = 409 if body["name"] == "ltv_band" else 201  # created meanwhile by another run
        return Response(json.dumps({"name": body["name"]}), status=status, content_type="application/json")

    httpserver.expect_request("/crm/v3/properties/contacts/customer_id").respond_with_json(
        {"name": "customer_id"}
    )
    httpserver.expect_request("/crm/v3/properties/contacts/ltv_score").respond_with_json(
        {"message": "not found"}, status=404
    )
    httpserver.expect_request("/crm/v3/properties/contacts/ltv_band").respond_with_json(
        {"message": "not found"}, status=404
    )
    httpserver.expect_request("/crm/v3/properties/contacts", method="POST").respond_with_handler(create)
    with httpx.Client(base_url=httpserver.url_for("/")) as api:
        assert ensure_properties(api, sleep=lambda s: None) == ["ltv_score"]
    assert [c["name"] for c in created] == ["ltv_score", "ltv_band"]
    assert created[0]["groupName"] == "contactinformation" and created[1]["type"] == "enumeration"


def test_property_errors_other_than_not_found_or_conflict_stop(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/crm/v3/properties/contacts/customer_id").respond_with_json(
        {"message": "forbidden"}, status=403
    )
    with httpx.Client(base_url=httpserver.url_for("/")) as api, pytest.raises(httpx.HTTPStatusError):
        ensure_properties(api, sleep=lambda s: None)
    httpserver.clear()
    httpserver.expect_request("/crm/v3/properties/contacts/customer_id").respond_with_json({}, status=404)
    httpserver.expect_request("/crm/v3/properties/contacts", method="POST").respond_with_json(
        {"message": "missing scope crm.schemas.contacts.write"}, status=403
    )
    with httpx.Client(base_url=httpserver.url_for("/")) as api, pytest.raises(httpx.HTTPStatusError):
        ensure_properties(api, sleep=lambda s: None)


def test_a_whole_batch_refused_for_a_single_row_is_recorded(httpserver: HTTPServer, con) -> None:
    httpserver.expect_request(UPSERT, method="POST").respond_with_json(
        {"message": "Property values were not valid"}, status=400
    )
    con.execute("INSERT INTO customer_ltv VALUES ('C7', 1)")
    report = sync(con, client_for(httpserver))
    assert report.failed == ["C7"]
    assert con.execute("SELECT error FROM sync_failed_rows").fetchone() == ("Property values were not valid",)
