"""A diff-based Reverse ETL sync: DuckDB model -> CRM batch upsert API.

Each run compares the model with a snapshot of what the CRM already holds,
sends only new, changed and deleted rows in batches the API accepts, retries
throttled or failed requests with backoff, and records rejected rows in a
failed-rows table. A run with nothing to do sends no request at all.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential

# --8<-- [start:state]
STATE_DDL = """
CREATE TABLE IF NOT EXISTS sync_snapshot (      -- what the destination holds
    sync_key   VARCHAR PRIMARY KEY,
    row_hash   VARCHAR NOT NULL,
    synced_at  TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS sync_failed_rows (   -- what it refused, and why
    sync_key       VARCHAR PRIMARY KEY,
    row_hash       VARCHAR,
    operation      VARCHAR NOT NULL,
    error          VARCHAR NOT NULL,
    retryable      BOOLEAN NOT NULL,
    attempts       INTEGER NOT NULL,
    last_failed_at TIMESTAMP NOT NULL
);
"""
# --8<-- [end:state]

# --8<-- [start:diff]
DIFF_SQL = """
WITH model AS (
    SELECT CAST(m.{key} AS VARCHAR)         AS sync_key,
           md5(CAST(to_json(m) AS VARCHAR)) AS row_hash,
           CAST(to_json(m) AS VARCHAR)      AS payload
    FROM {model} AS m
)
SELECT 'upsert' AS operation, model.sync_key, model.row_hash, model.payload
FROM model
LEFT JOIN sync_snapshot    AS s USING (sync_key)
LEFT JOIN sync_failed_rows AS f USING (sync_key)
WHERE s.row_hash IS DISTINCT FROM model.row_hash
  -- a row the API rejected for its content waits until the content changes
  AND NOT coalesce(NOT f.retryable AND f.row_hash = model.row_hash, false)
UNION ALL
SELECT 'delete', s.sync_key, NULL, NULL
FROM sync_snapshot AS s
WHERE s.sync_key NOT IN (SELECT sync_key FROM model)
ORDER BY operation DESC, sync_key
"""

# A refused row that has since left the model will never be sent: forget it.
FORGET_SQL = """
DELETE FROM sync_failed_rows
WHERE operation = 'upsert'
  AND sync_key NOT IN (SELECT CAST(m.{key} AS VARCHAR) FROM {model} AS m)
"""


@dataclass(frozen=True)
class Change:
    """One row to send: an upsert with its payload, or a delete."""

    operation: str
    sync_key: str
    row_hash: str | None
    payload: dict[str, Any] | None


def pending_changes(con: duckdb.DuckDBPyConnection, model: str, key: str) -> list[Change]:
    """New, changed and (for mirror syncs) deleted rows since the last run."""
    con.execute(STATE_DDL)
    con.execute(FORGET_SQL.format(model=model, key=key))
    rows = con.execute(DIFF_SQL.format(model=model, key=key)).fetchall()
    return [Change(op, k, h, json.loads(p) if p else None) for op, k, h, p in rows]


# --8<-- [end:diff]


# --8<-- [start:client]
class RetryableStatus(Exception):
    """The API asked us to come back later (429) or failed on its side (5xx)."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code} from {response.request.url.path}")
        self.response = response


@dataclass(frozen=True)
class RecordResult:
    """The API's verdict on one record of a batch."""

    sync_key: str
    ok: bool
    error: str | None = None
    retryable: bool = False


def _wait(state: RetryCallState) -> float:
    """Honour Retry-After when the API sends it, else back off exponentially."""
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, RetryableStatus) and "Retry-After" in exc.response.headers:
        return float(exc.response.headers["Retry-After"])
    return wait_exponential(multiplier=0.5, max=30)(state)


class CrmClient:
    """Batch upsert/delete client for a CRM-style API."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        max_batch: int = 100,
        max_attempts: int = 5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.http = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        self.max_batch = max_batch
        self.max_attempts = max_attempts
        self.sleep = sleep
        self.requests_sent = 0

    def batches(self, changes: Sequence[Change]) -> Iterator[list[Change]]:
        """Split changes into batches no larger than the API allows."""
        for start in range(0, len(changes), self.max_batch):
            yield list(changes[start : start + self.max_batch])

    def send(self, operation: str, batch: Sequence[Change]) -> list[RecordResult]:
        """Send one batch with retries; the same batch always has the same idempotency key."""
        if operation == "upsert":
            body = {"records": [c.payload for c in batch]}
        else:
            body = {"external_ids": [c.sync_key for c in batch]}
        content = json.dumps(body, sort_keys=True).encode()
        idempotency_key = hashlib.sha256(operation.encode() + content).hexdigest()

        def attempt() -> httpx.Response:
            self.requests_sent += 1
            response = self.http.post(
                f"/v1/contacts/batch_{operation}",
                content=content,
                headers={"Content-Type": "application/json", "Idempotency-Key": idempotency_key},
            )
            if response.status_code == 429 or response.status_code >= 500:
                raise RetryableStatus(response)
            response.raise_for_status()  # 4xx other than 429: our bug, do not retry
            return response

        retrying = Retrying(
            retry=retry_if_exception(lambda e: isinstance(e, RetryableStatus | httpx.TransportError)),
            wait=_wait,
            stop=stop_after_attempt(self.max_attempts),
            sleep=self.sleep,
            reraise=True,
        )
        response = retrying(attempt)
        return [
            RecordResult(r["external_id"], r["status"] == "ok", r.get("error"), r.get("retryable", False))
            for r in response.json()["results"]
        ]


# --8<-- [end:client]


# --8<-- [start:sync]
@dataclass
class SyncReport:
    """What one run did."""

    upserted: int = 0
    deleted: int = 0
    failed: list[str] = field(default_factory=list)
    requests: int = 0


def run_sync(
    con: duckdb.DuckDBPyConnection,
    client: CrmClient,
    *,
    model: str = "crm_contacts_model",
    key: str = "external_id",
    mirror: bool = True,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> SyncReport:
    """Send the diff, then record what the destination accepted and refused."""
    changes = pending_changes(con, model, key)
    if not mirror:
        changes = [c for c in changes if c.operation == "upsert"]
    report = SyncReport()
    sent_before = client.requests_sent
    for operation in ("upsert", "delete"):
        of_this_kind = [c for c in changes if c.operation == operation]
        for batch in client.batches(of_this_kind):
            by_key = {c.sync_key: c for c in batch}
            try:
                results = client.send(operation, batch)
            except (RetryableStatus, httpx.TransportError) as exc:
                # Retries exhausted: keep the rows for the next run, move on.
                results = [RecordResult(k, False, str(exc), retryable=True) for k in by_key]
            _record(con, [(by_key[r.sync_key], r) for r in results], now(), report)
    report.requests = client.requests_sent - sent_before
    return report


def _record(
    con: duckdb.DuckDBPyConnection,
    outcomes: list[tuple[Change, RecordResult]],
    at: datetime,
    report: SyncReport,
) -> None:
    """Write one batch's outcomes with one statement per table, not one per row."""
    accepted = [change for change, result in outcomes if result.ok]
    refused = [(change, result) for change, result in outcomes if not result.ok]
    upserts = [c for c in accepted if c.operation == "upsert"]
    deletes = [c.sync_key for c in accepted if c.operation == "delete"]
    if accepted:
        con.execute(
            "DELETE FROM sync_failed_rows WHERE sync_key IN (SELECT unnest(?::VARCHAR[]))",
            [[c.sync_key for c in accepted]],
        )
    if upserts:
        con.execute(
            "INSERT OR REPLACE INTO sync_snapshot"
            " SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?::TIMESTAMP",
            [[c.sync_key for c in upserts], [c.row_hash for c in upserts], at],
        )
    if deletes:
        con.execute("DELETE FROM sync_snapshot WHERE sync_key IN (SELECT unnest(?::VARCHAR[]))", [deletes])
    if refused:
        con.execute(
            """
            INSERT INTO sync_failed_rows
            SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
                   unnest(?::VARCHAR[]), unnest(?::BOOLEAN[]), 1, ?::TIMESTAMP
            ON CONFLICT (sync_key) DO UPDATE SET
                row_hash = excluded.row_hash, operation = excluded.operation, error = excluded.error,
                retryable = excluded.retryable, attempts = sync_failed_rows.attempts + 1,
                last_failed_at = excluded.last_failed_at
            """,
            [
                [c.sync_key for c, _ in refused],
                [c.row_hash for c, _ in refused],
                [c.operation for c, _ in refused],
                [r.error or "rejected" for _, r in refused],
                [r.retryable for _, r in refused],
                at,
            ],
        )
    report.upserted += len(upserts)
    report.deleted += len(deletes)
    report.failed.extend(c.sync_key for c, _ in refused)


# --8<-- [end:sync]
