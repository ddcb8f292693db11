"""Salesforce Accounts to the warehouse every 15 minutes, churn scores written back.

Extraction reuses the connector snippet (``SystemModstamp`` window plus
``getDeleted``); loading is one MERGE that never lets an older version win;
the write-back reuses the diff-based Reverse ETL sync with a Salesforce client
that upserts on an External ID field through sObject Collections.
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import httpx

from snippets.connectors.rate_limits import RateLimited, send
from snippets.connectors.salesforce import Changes, extract_changes
from snippets.reverse_etl.diff_based_sync import (
    Change,
    CrmClient,
    RecordResult,
    RetryableStatus,
    SyncReport,
    pending_changes,
    run_sync,
)

# --8<-- [start:budget]
PER_LICENCE = {"professional": 1_000, "enterprise": 1_000, "unlimited": 5_000, "performance": 5_000}
QUERY_PAGE = 2_000  # records per SOQL page at most
COLLECTION_SIZE = 200  # records per sObject Collections request
BULK_THRESHOLD = 2_000  # above this many records per run, use Bulk API 2.0
BULK_CALLS_PER_JOB = 5  # create, upload, close, one status poll, failed results
BULK_JOB_MAX = 100_000  # rows we put in one job; Salesforce splits uploads into batches itself


def daily_allocation(edition: str, licences: int, add_on_calls: int = 0) -> int:
    """The org's rolling 24-hour API request allocation (the whole org shares it)."""
    if edition == "developer":
        return 15_000
    if edition not in PER_LICENCE:
        raise ValueError(f"unknown edition {edition!r}")
    if licences < 0 or add_on_calls < 0:
        raise ValueError("licences and add-on calls cannot be negative")
    return 100_000 + PER_LICENCE[edition] * licences + add_on_calls


@dataclass(frozen=True)
class Budget:
    runs_per_day: int
    extract_calls: int
    writeback_calls: int
    allocation: int

    @property
    def total(self) -> int:
        return self.extract_calls + self.writeback_calls

    @property
    def share(self) -> float:
        """Fraction of the org's allocation this integration spends."""
        return self.total / self.allocation


def write_path(records_per_run: int) -> str:
    """sObject Collections for small batches, Bulk API 2.0 above the threshold."""
    return "bulk-2.0" if records_per_run > BULK_THRESHOLD else "collections"


def api_budget(
    changes_per_day: dict[str, int],
    scores_per_day: int,
    allocation: int,
    *,
    interval_minutes: int = 15,
) -> Budget:
    """API calls a day for a polling sync on a schedule, plus the score write-back.

    Each run and object costs one query call per page of changes and one
    ``getDeleted`` call; the write-back costs one call per 200 scores, or a
    fixed number per Bulk API 2.0 job when a run carries more than 2,000.
    """
    if not 1 <= interval_minutes <= 1440 or allocation <= 0:
        raise ValueError("interval must be 1 to 1440 minutes and the allocation positive")
    runs = math.ceil(24 * 60 / interval_minutes)
    extract = 0
    for per_day in changes_per_day.values():
        per_run = math.ceil(per_day / runs)
        extract += runs * (max(1, math.ceil(per_run / QUERY_PAGE)) + 1)
    scores_per_run = math.ceil(scores_per_day / runs)
    if scores_per_run == 0:
        writeback = 0
    elif write_path(scores_per_run) == "bulk-2.0":
        writeback = runs * BULK_CALLS_PER_JOB
    else:
        writeback = runs * math.ceil(scores_per_run / COLLECTION_SIZE)
    return Budget(runs, extract, writeback, allocation)


# --8<-- [end:budget]

# --8<-- [start:load]
ACCOUNT_DDL = """
CREATE TABLE IF NOT EXISTS sf_account (
    id              VARCHAR PRIMARY KEY,
    name            VARCHAR,
    industry        VARCHAR,
    system_modstamp TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS sf_sync_cursor (sobject VARCHAR PRIMARY KEY, until TIMESTAMPTZ NOT NULL);
"""

MERGE_ACCOUNTS = """
MERGE INTO sf_account AS t
USING staged_account AS s ON t.id = s.id
WHEN MATCHED AND s.deleted THEN DELETE
WHEN MATCHED AND s.system_modstamp > t.system_modstamp THEN UPDATE SET
    name = s.name, industry = s.industry, system_modstamp = s.system_modstamp
WHEN NOT MATCHED AND NOT s.deleted THEN INSERT VALUES (s.id, s.name, s.industry, s.system_modstamp)
"""


def _modstamp(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("+0000", "+00:00"))


def load_accounts(con: duckdb.DuckDBPyConnection, changes: Changes) -> None:
    """Stage one window's changes and MERGE them; a replayed older version never wins."""
    con.execute(ACCOUNT_DDL)
    rows = [
        (r["Id"], r.get("Name"), r.get("Industry"), _modstamp(r["SystemModstamp"]), False)
        for r in changes.upserts
    ]
    rows += [(record_id, None, None, changes.cursor, True) for record_id in changes.deleted_ids]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE staged_account (id VARCHAR, name VARCHAR, industry VARCHAR,"
        " system_modstamp TIMESTAMPTZ, deleted BOOLEAN)"
    )
    if rows:
        # The newest version of each record in this window, if it came twice.
        con.executemany("INSERT INTO staged_account VALUES (?, ?, ?, ?, ?)", rows)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE staged_account AS SELECT * FROM staged_account"
            " QUALIFY row_number() OVER (PARTITION BY id ORDER BY deleted DESC, system_modstamp DESC) = 1"
        )
        con.execute(MERGE_ACCOUNTS)


def sync_accounts(
    client: httpx.Client, con: duckdb.DuckDBPyConnection, *, start: datetime, now: datetime, **send_options
) -> int:
    """One scheduled run: read the window after the stored cursor, MERGE, then move the cursor."""
    con.execute(ACCOUNT_DDL)
    stored = con.execute("SELECT until FROM sf_sync_cursor WHERE sobject = 'Account'").fetchone()
    since = stored[0] if stored else start
    changes = extract_changes(client, "Account", ["Name", "Industry"], since, now, **send_options)
    load_accounts(con, changes)
    # The cursor moves only after the MERGE: a crash in between repeats the window, harmlessly.
    con.execute("INSERT OR REPLACE INTO sf_sync_cursor VALUES ('Account', ?)", [changes.cursor])
    return len(changes.upserts) + len(changes.deleted_ids)


# --8<-- [end:load]

# --8<-- [start:writeback]
SCORE_MODEL = """
CREATE OR REPLACE VIEW account_score_model AS
SELECT account_key, round(churn_score, 3) AS Churn_Score__c
FROM account_scores
"""
RETRYABLE_CODES = {"UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE"}


class SalesforceScores(CrmClient):
    """Upserts rows of the score model on an External ID field, 200 per request."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        sobject: str = "Account",
        external_id: str = "Account_Key__c",
        version: str = "v62.0",
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        poll_seconds: float = 5.0,
    ) -> None:
        super().__init__(base_url, token, max_batch=COLLECTION_SIZE, sleep=sleep)
        self.poll_seconds = poll_seconds
        self.path = f"/services/data/{version}/composite/sobjects/{sobject}/{external_id}"
        self.jobs = f"/services/data/{version}/jobs/ingest"
        self.bulk = False  # set per run by write_scores: Bulk API 2.0 above the threshold
        self.sobject, self.external_id, self.now = sobject, external_id, now

    def send(self, operation: str, batch: Sequence[Change]) -> list[RecordResult]:
        if self.bulk:
            return self.send_bulk(batch)
        records = [
            {
                "attributes": {"type": self.sobject},
                self.external_id: change.sync_key,
                **{k: v for k, v in (change.payload or {}).items() if k != "account_key"},
            }
            for change in batch
        ]
        request = self.http.build_request("PATCH", self.path, json={"allOrNone": False, "records": records})
        self.requests_sent += 1
        try:
            # 403 REQUEST_LIMIT_EXCEEDED for the daily allocation raises QuotaExhausted: the run stops.
            response = send(self.http, request, sleep=self.sleep, now=self.now, max_attempts=3)
        except RateLimited as limited:
            raise RetryableStatus(limited.response) from limited
        results = []
        for change, outcome in zip(batch, response.json(), strict=True):  # same order as sent
            errors = outcome.get("errors") or []
            results.append(
                RecordResult(
                    change.sync_key,
                    bool(outcome.get("success")),
                    "; ".join(f"{e.get('statusCode')}: {e.get('message')}" for e in errors) or None,
                    retryable=any(e.get("statusCode") in RETRYABLE_CODES for e in errors),
                )
            )
        return results

    def send_bulk(self, batch: Sequence[Change]) -> list[RecordResult]:
        """One Bulk API 2.0 upsert job: create, upload CSV, close, poll, read failures."""
        fields = sorted({k for c in batch for k in (c.payload or {}) if k != "account_key"})
        lines = [",".join([self.external_id, *fields])]
        for change in batch:
            payload = change.payload or {}
            cells = ["" if payload.get(name) is None else str(payload[name]) for name in fields]
            lines.append(",".join([change.sync_key, *cells]))
        options = {"sleep": self.sleep, "now": self.now, "max_attempts": 3}

        def call(method: str, url: str, **kwargs: Any) -> httpx.Response:
            self.requests_sent += 1
            return send(self.http, self.http.build_request(method, url, **kwargs), **options)

        job = call(
            "POST",
            self.jobs,
            json={
                "object": self.sobject,
                "externalIdFieldName": self.external_id,
                "operation": "upsert",
                "contentType": "CSV",
                "lineEnding": "LF",
            },
        ).json()["id"]
        call(
            "PUT",
            f"{self.jobs}/{job}/batches",
            content="\n".join(lines) + "\n",
            headers={"Content-Type": "text/csv"},
        )
        call("PATCH", f"{self.jobs}/{job}", json={"state": "UploadComplete"})
        while (state := call("GET", f"{self.jobs}/{job}").json()["state"]) not in (
            "JobComplete",
            "Failed",
            "Aborted",
        ):
            self.sleep(self.poll_seconds)
        if state != "JobComplete":
            return [RecordResult(c.sync_key, False, f"bulk job {state}", retryable=True) for c in batch]
        failed = {
            row[self.external_id]: row["sf__Error"]
            for row in csv.DictReader(io.StringIO(call("GET", f"{self.jobs}/{job}/failedResults/").text))
        }
        return [RecordResult(c.sync_key, c.sync_key not in failed, failed.get(c.sync_key)) for c in batch]


def write_scores(con: duckdb.DuckDBPyConnection, writer: SalesforceScores, **sync_options: Any) -> SyncReport:
    """Collections for a few hundred changed scores, one Bulk API 2.0 job above the threshold."""
    pending = len(pending_changes(con, "account_score_model", "account_key"))
    writer.bulk = write_path(pending) == "bulk-2.0"
    writer.max_batch = BULK_JOB_MAX if writer.bulk else COLLECTION_SIZE
    return run_sync(con, writer, model="account_score_model", key="account_key", mirror=False, **sync_options)


# --8<-- [end:writeback]
