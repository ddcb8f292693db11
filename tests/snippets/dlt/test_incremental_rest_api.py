"""A real dlt pipeline reads a paginated API on 127.0.0.1 into DuckDB."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.dlt.incremental_rest_api import customers_cursor, load_customers, make_pipeline


class CustomersApi:
    """A small CRM-like API: filters on ``updated_since``, pages with a next link."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.rows: dict[int, dict[str, Any]] = {}
        self.requests: list[dict[str, str]] = []
        server.expect_request("/customers").respond_with_handler(self.handle)

    def put(self, row_id: int, name: str, updated_at: str) -> None:
        self.rows[row_id] = {"id": row_id, "name": name, "updated_at": updated_at}

    def handle(self, request: Request) -> Response:
        args = dict(request.args)
        self.requests.append(args)
        since, size, page = args["updated_since"], int(args["page_size"]), int(args.get("page", 1))
        matching = sorted(
            (r for r in self.rows.values() if r["updated_at"] >= since), key=lambda r: r["updated_at"]
        )
        chunk = matching[(page - 1) * size : page * size]
        next_url = None
        if page * size < len(matching):
            next_url = self.server.url_for(
                f"/customers?page_size={size}&updated_since={since}&page={page + 1}"
            )
        return Response(json.dumps({"data": chunk, "next": next_url}), content_type="application/json")


@pytest.fixture(autouse=True)
def no_telemetry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")


@pytest.fixture
def api(httpserver: HTTPServer) -> CustomersApi:
    api = CustomersApi(httpserver)
    for i in range(1, 6):
        api.put(i, f"Customer {i}", f"2026-02-0{i}T00:00:00Z")
    return api


def loaded(pipeline: Any) -> list[tuple[Any, ...]]:
    with pipeline.sql_client() as client:
        return client.execute_sql("SELECT id, name FROM customers ORDER BY id")


def test_first_run_follows_every_page_and_stores_the_cursor(api: CustomersApi, tmp_path: Path) -> None:
    pipeline = make_pipeline(tmp_path)
    load_customers(pipeline, api.server.url_for("/"))

    assert [r.get("page", "1") for r in api.requests] == ["1", "2", "3"]
    assert {r["updated_since"] for r in api.requests} == {"2026-01-01T00:00:00Z"}
    assert loaded(pipeline) == [(i, f"Customer {i}") for i in range(1, 6)]
    assert customers_cursor(pipeline) == "2026-02-05T00:00:00Z"
    assert (tmp_path / "crm_customers.duckdb").exists()
    assert (tmp_path / "pipelines" / "crm_customers").is_dir()


def test_second_run_loads_only_new_and_changed_rows_and_merges(api: CustomersApi, tmp_path: Path) -> None:
    pipeline = make_pipeline(tmp_path)
    load_customers(pipeline, api.server.url_for("/"))
    api.requests.clear()

    api.put(6, "Customer 6", "2026-03-01T00:00:00Z")  # new
    api.put(2, "Customer 2 (renamed)", "2026-03-02T00:00:00Z")  # changed
    load_customers(pipeline, api.server.url_for("/"))

    assert api.requests[0]["updated_since"] == "2026-02-05T00:00:00Z"
    # Only the two changed rows were normalised and loaded: the row at the
    # boundary cursor value (id 5) is de-duplicated by dlt, not reloaded.
    assert pipeline.last_trace.last_normalize_info.row_counts["customers"] == 2
    rows = loaded(pipeline)
    assert len(rows) == 6  # merge updated id 2 in place: no duplicate row
    assert (2, "Customer 2 (renamed)") in rows
    assert customers_cursor(pipeline) == "2026-03-02T00:00:00Z"


def test_state_survives_a_new_pipeline_object(api: CustomersApi, tmp_path: Path) -> None:
    load_customers(make_pipeline(tmp_path), api.server.url_for("/"))
    api.requests.clear()

    reopened = make_pipeline(tmp_path)
    load_customers(reopened, api.server.url_for("/"))

    assert api.requests[0]["updated_since"] == "2026-02-05T00:00:00Z"
    assert "customers" not in reopened.last_trace.last_normalize_info.row_counts
    assert len(loaded(reopened)) == 5
