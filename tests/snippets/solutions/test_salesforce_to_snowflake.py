"""Salesforce -> warehouse -> Salesforce, end to end against a local Salesforce stand-in.

A local HTTP server replays the REST API's documented shapes: SOQL query pages,
getDeleted, sObject Collections upsert results (with a per-record error), and
403 REQUEST_LIMIT_EXCEEDED. DuckDB stands in for Snowflake.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import duckdb
import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.connectors.rate_limits import QuotaExhausted
from snippets.connectors.salesforce import Changes
from snippets.reverse_etl.diff_based_sync import run_sync
from snippets.solutions.salesforce_to_snowflake import (
    SCORE_MODEL,
    SalesforceScores,
    api_budget,
    daily_allocation,
    load_accounts,
    sync_accounts,
    write_path,
    write_scores,
)

V = "/services/data/v62.0"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
START = NOW - timedelta(minutes=15)


def account(record_id: str, name: str, stamp: str, industry: str = "Energy") -> dict:
    return {
        "attributes": {"type": "Account", "url": f"{V}/sobjects/Account/{record_id}"},
        "Id": record_id,
        "SystemModstamp": stamp,
        "Name": name,
        "Industry": industry,
    }


def no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture
def client(httpserver: HTTPServer):
    with httpx.Client(base_url=httpserver.url_for("/")) as c:
        yield c


def serve_window(httpserver: HTTPServer, records: list[dict], deleted: list[str]) -> None:
    httpserver.expect_request(f"{V}/query").respond_with_json(
        {"totalSize": len(records), "done": True, "records": records}
    )
    httpserver.expect_request(f"{V}/sobjects/Account/deleted/").respond_with_json(
        {
            "deletedRecords": [{"id": i, "deletedDate": "2026-11-30T11:58:00.000+0000"} for i in deleted],
            "earliestDateAvailable": "2026-11-16T00:00:00.000+0000",
            "latestDateCovered": "2026-11-30T11:59:00.000+0000",
        }
    )


# --- the budget -------------------------------------------------------------------------


def test_budget_for_a_15_minute_schedule_is_a_small_share_of_an_enterprise_org() -> None:
    allocation = daily_allocation("enterprise", licences=50)
    assert allocation == 150_000
    budget = api_budget(
        {"Account": 20_000, "Opportunity": 5_000}, scores_per_day=20_000, allocation=allocation
    )
    assert budget.runs_per_day == 96
    # Each run: one query page and one getDeleted per object; 209 scores -> 2 collection calls.
    assert budget.extract_calls == 96 * 2 * 2
    assert budget.writeback_calls == 96 * 2
    assert budget.total == 576
    assert budget.share == pytest.approx(576 / 150_000)


def test_budget_switches_to_bulk_above_2000_records_a_run_and_counts_pages() -> None:
    big = api_budget({"Account": 960_000}, scores_per_day=960_000, allocation=15_000, interval_minutes=60)
    assert big.runs_per_day == 24
    assert big.extract_calls == 24 * (20 + 1)  # 40,000 a run = 20 pages of 2,000
    assert big.writeback_calls == 24 * 5  # one Bulk API 2.0 job a run
    assert big.share > 0.04
    assert write_path(2_000) == "collections" and write_path(2_001) == "bulk-2.0"
    assert api_budget({}, scores_per_day=0, allocation=1).total == 0


def test_allocation_by_edition_and_bad_input() -> None:
    assert daily_allocation("developer", licences=3) == 15_000
    assert daily_allocation("unlimited", licences=10, add_on_calls=5_000) == 155_000
    with pytest.raises(ValueError, match="unknown edition"):
        daily_allocation("free", 1)
    with pytest.raises(ValueError, match="negative"):
        daily_allocation("enterprise", -1)
    with pytest.raises(ValueError, match="interval"):
        api_budget({}, 0, allocation=100, interval_minutes=0)


# --- extraction and MERGE -------------------------------------------------------------


def test_a_run_loads_changes_and_deletes_and_moves_the_cursor(httpserver, client, con) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS sf_account (id VARCHAR PRIMARY KEY, name VARCHAR,"
        " industry VARCHAR, system_modstamp TIMESTAMPTZ NOT NULL)"
    )
    con.execute("INSERT INTO sf_account VALUES ('001C', 'Gone Ltd', 'Retail', '2026-11-01 00:00:00+00')")
    serve_window(
        httpserver,
        [
            account("001A", "Acme", "2026-11-30T11:50:00.000+0000"),
            account("001B", "Globex", "2026-11-30T11:51:00.000+0000"),
        ],
        deleted=["001C"],
    )
    assert sync_accounts(client, con, start=START, now=NOW, sleep=no_sleep) == 3
    rows = con.execute("SELECT id, name FROM sf_account ORDER BY id").fetchall()
    assert rows == [("001A", "Acme"), ("001B", "Globex")]
    assert con.execute("SELECT until FROM sf_sync_cursor").fetchone()[0] == NOW
    # The query asked for exactly the window after the cursor.
    soql = httpserver.log[0][0].args["q"]
    assert "SystemModstamp > 2026-11-30T11:45:00Z AND SystemModstamp <= 2026-11-30T12:00:00Z" in soql


def test_duplicate_and_out_of_order_windows_never_move_a_record_backwards(con) -> None:
    newer = Changes(upserts=[account("001A", "Acme v2", "2026-11-30T11:55:00.000+0000")], cursor=NOW)
    older = Changes(upserts=[account("001A", "Acme v1", "2026-11-30T11:40:00.000+0000")], cursor=NOW)
    twice = Changes(
        upserts=[
            account("001B", "Globex v1", "2026-11-30T11:41:00.000+0000"),
            account("001B", "Globex v2", "2026-11-30T11:42:00.000+0000"),
        ],
        cursor=NOW,
    )
    load_accounts(con, newer)
    load_accounts(con, newer)  # the same window again: nothing changes
    load_accounts(con, older)  # a replayed, older window: ignored
    load_accounts(con, twice)  # one record twice in a window: the newest wins
    load_accounts(con, Changes(cursor=NOW))  # an empty window
    rows = con.execute("SELECT id, name FROM sf_account ORDER BY id").fetchall()
    assert rows == [("001A", "Acme v2"), ("001B", "Globex v2")]


def test_a_pause_longer_than_getdeleted_window_stops_the_run(httpserver, client, con) -> None:
    from snippets.connectors.salesforce import DeletesOutOfReach

    with pytest.raises(DeletesOutOfReach):
        sync_accounts(client, con, start=NOW - timedelta(days=16), now=NOW, sleep=no_sleep)
    assert con.execute("SELECT count(*) FROM sf_sync_cursor").fetchone()[0] == 0


# --- write-back ------------------------------------------------------------------------


def scores_model(con, rows: list[tuple[str, float]]) -> None:
    con.execute("CREATE OR REPLACE TABLE account_scores (account_key VARCHAR, churn_score DOUBLE)")
    con.executemany("INSERT INTO account_scores VALUES (?, ?)", rows)
    con.execute(SCORE_MODEL)


def collections_handler(sent: list[dict]):
    """Like the org's validation rule: a churn score must lie between 0 and 1."""

    def handle(request: Request) -> Response:
        body = json.loads(request.data)
        sent.append(body)
        results = []
        for record in body["records"]:
            key = record["Account_Key__c"]
            if not 0 <= record["Churn_Score__c"] <= 1:
                results.append(
                    {
                        "success": False,
                        "errors": [
                            {
                                "statusCode": "NUMBER_OUTSIDE_VALID_RANGE",
                                "message": "Churn Score: value outside of valid range",
                                "fields": ["Churn_Score__c"],
                            }
                        ],
                    }
                )
            else:
                results.append({"id": "001" + key, "success": True, "errors": [], "created": False})
        return Response(json.dumps(results), status=200, content_type="application/json")

    return handle


def test_scores_are_upserted_on_the_external_id_and_a_poison_row_waits(httpserver, con) -> None:
    sent: list[dict] = []
    path = f"{V}/composite/sobjects/Account/Account_Key__c"
    httpserver.expect_request(path, method="PATCH").respond_with_handler(collections_handler(sent))
    scores_model(con, [("K1", 0.12), ("K2", 0.87), ("K3", 1e9)])
    writer = SalesforceScores(httpserver.url_for("/"), "token", sleep=no_sleep, now=lambda: NOW)
    report = run_sync(
        con, writer, model="account_score_model", key="account_key", mirror=False, now=lambda: NOW
    )
    assert (report.upserted, report.failed, report.requests) == (2, ["K3"], 1)
    record = sent[0]["records"][0]
    assert sent[0]["allOrNone"] is False
    assert record == {"attributes": {"type": "Account"}, "Account_Key__c": "K1", "Churn_Score__c": 0.12}
    error = con.execute("SELECT error, retryable FROM sync_failed_rows").fetchone()
    assert error == ("NUMBER_OUTSIDE_VALID_RANGE: Churn Score: value outside of valid range", False)
    # Next run: nothing changed, so nothing is sent; the poison row waits for new content.
    again = run_sync(
        con, writer, model="account_score_model", key="account_key", mirror=False, now=lambda: NOW
    )
    assert (again.upserted, again.requests) == (0, 0)
    con.execute("UPDATE account_scores SET churn_score = 0.5 WHERE account_key = 'K3'")
    fixed = run_sync(
        con, writer, model="account_score_model", key="account_key", mirror=False, now=lambda: NOW
    )
    assert (fixed.upserted, fixed.failed) == (1, [])


def test_daily_allocation_exhausted_stops_the_write_back_and_loses_nothing(httpserver, con) -> None:
    path = f"{V}/composite/sobjects/Account/Account_Key__c"
    httpserver.expect_ordered_request(path, method="PATCH").respond_with_json(
        [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}], status=403
    )
    scores_model(con, [("K1", 0.1)])
    writer = SalesforceScores(httpserver.url_for("/"), "token", sleep=no_sleep, now=lambda: NOW)
    with pytest.raises(QuotaExhausted):
        run_sync(con, writer, model="account_score_model", key="account_key", mirror=False, now=lambda: NOW)
    assert con.execute("SELECT count(*) FROM sync_snapshot").fetchone()[0] == 0  # still pending
    httpserver.clear()
    sent: list[dict] = []
    httpserver.expect_request(path, method="PATCH").respond_with_handler(collections_handler(sent))
    report = run_sync(
        con, writer, model="account_score_model", key="account_key", mirror=False, now=lambda: NOW
    )
    assert report.upserted == 1 and len(sent) == 1


def test_concurrency_limit_is_retried_then_kept_for_the_next_run(httpserver, con) -> None:
    path = f"{V}/composite/sobjects/Account/Account_Key__c"
    httpserver.expect_request(path, method="PATCH").respond_with_json(
        [{"message": "ConcurrentPerOrgLongTxn Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}],
        status=403,
    )
    scores_model(con, [("K1", 0.1)])
    waits: list[float] = []
    writer = SalesforceScores(httpserver.url_for("/"), "token", sleep=waits.append, now=lambda: NOW)
    report = run_sync(
        con, writer, model="account_score_model", key="account_key", mirror=False, now=lambda: NOW
    )
    assert report.failed == ["K1"] and len(waits) == 2  # three attempts, then give up for this run
    assert con.execute("SELECT retryable FROM sync_failed_rows").fetchone() == (True,)


# --- write-back above 2,000 records: one Bulk API 2.0 job -------------------------------


class BulkJobs:
    """Bulk API 2.0 ingest: create, upload CSV, close, report state, list failed rows."""

    def __init__(self, states: list[str]) -> None:
        self.states = states
        self.csv = ""
        self.calls: list[str] = []

    def handle(self, request: Request) -> Response:
        self.calls.append(f"{request.method} {request.path.removeprefix(V)}")
        if request.method == "POST":
            body = json.loads(request.data)
            assert body["operation"] == "upsert" and body["externalIdFieldName"] == "Account_Key__c"
            return Response(json.dumps({"id": "750JOB", "state": "Open"}), content_type="application/json")
        if request.method == "PUT":
            self.csv = request.data.decode()
            return Response(status=201)
        if request.method == "PATCH":
            return Response(
                json.dumps({"id": "750JOB", "state": "UploadComplete"}), content_type="application/json"
            )
        if request.path.endswith("/failedResults/"):
            return Response(
                "sf__Id,sf__Error,Account_Key__c,Churn_Score__c\n"
                '"","FIELD_CUSTOM_VALIDATION_EXCEPTION:Churn score must be 0-1",K0007,7.0\n',
                content_type="text/csv",
            )
        return Response(
            json.dumps({"id": "750JOB", "state": self.states.pop(0)}), content_type="application/json"
        )


def test_more_than_2000_scores_go_in_one_bulk_job(httpserver, con) -> None:
    jobs = BulkJobs(["InProgress", "JobComplete"])
    httpserver.expect_request(re.compile(r"^/services/data/v62\.0/jobs/ingest.*")).respond_with_handler(
        jobs.handle
    )
    scores_model(con, [(f"K{i:04}", 7.0 if i == 7 else i / 10_000) for i in range(2_500)])
    polls: list[float] = []
    writer = SalesforceScores(
        httpserver.url_for("/"), "token", sleep=polls.append, now=lambda: NOW, poll_seconds=5
    )
    report = write_scores(con, writer, now=lambda: NOW)
    assert (report.upserted, report.failed) == (2_499, ["K0007"])
    assert jobs.calls == [
        "POST /jobs/ingest",
        "PUT /jobs/ingest/750JOB/batches",
        "PATCH /jobs/ingest/750JOB",
        "GET /jobs/ingest/750JOB",
        "GET /jobs/ingest/750JOB",
        "GET /jobs/ingest/750JOB/failedResults/",
    ]
    assert report.requests == 6 and polls == [5]
    lines = jobs.csv.splitlines()
    assert lines[0] == "Account_Key__c,Churn_Score__c" and len(lines) == 2_501 and lines[1] == "K0000,0.0"


def test_a_failed_bulk_job_keeps_every_row_for_the_next_run(httpserver, con) -> None:
    jobs = BulkJobs(["Failed"])
    httpserver.expect_request(re.compile(r"^/services/data/v62\.0/jobs/ingest.*")).respond_with_handler(
        jobs.handle
    )
    scores_model(con, [(f"K{i:04}", 0.5) for i in range(2_001)])
    writer = SalesforceScores(httpserver.url_for("/"), "token", sleep=lambda s: None, now=lambda: NOW)
    report = write_scores(con, writer, now=lambda: NOW)
    assert report.upserted == 0 and len(report.failed) == 2_001
    assert con.execute("SELECT count(*) FROM sync_failed_rows WHERE retryable").fetchone() == (2_001,)


def test_a_few_scores_still_use_collections(httpserver, con) -> None:
    sent: list[dict] = []
    httpserver.expect_request(
        f"{V}/composite/sobjects/Account/Account_Key__c", method="PATCH"
    ).respond_with_handler(collections_handler(sent))
    scores_model(con, [("K1", 0.2)])
    writer = SalesforceScores(httpserver.url_for("/"), "token", sleep=lambda s: None, now=lambda: NOW)
    assert write_scores(con, writer, now=lambda: NOW).upserted == 1 and len(sent) == 1
