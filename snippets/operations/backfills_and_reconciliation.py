"""Backfill history from PostgreSQL into DuckDB without double counting, then prove the copy matches."""

# --8<-- [start:backfill]
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import psycopg

TARGET_DDL = """
CREATE TABLE IF NOT EXISTS orders (
    id BIGINT PRIMARY KEY, customer_id VARCHAR NOT NULL,
    amount DECIMAL(12, 2) NOT NULL, updated_at TIMESTAMP NOT NULL  -- UTC
);
CREATE TABLE IF NOT EXISTS backfill_progress (
    job VARCHAR, partition_start TIMESTAMP, rows_merged BIGINT, finished_at TIMESTAMP,
    PRIMARY KEY (job, partition_start)
);
"""

# Newer rows win, so a backfill that overlaps live loading never rolls data back.
MERGE = """
MERGE INTO orders AS t USING staged AS s ON t.id = s.id
WHEN MATCHED AND s.updated_at >= t.updated_at THEN UPDATE SET
    customer_id = s.customer_id, amount = s.amount, updated_at = s.updated_at
WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.customer_id, s.amount, s.updated_at)
"""


def partitions(start: dt.datetime, end: dt.datetime, step: dt.timedelta) -> Iterator[tuple]:
    """Half-open windows [lo, hi): a row on a boundary belongs to exactly one window."""
    if step <= dt.timedelta(0) or end <= start:
        raise ValueError("need start < end and a positive step")
    lo = start
    while lo < end:
        yield lo, min(lo + step, end)
        lo += step


@dataclass
class BackfillReport:
    merged: dict[dt.datetime, int] = field(default_factory=dict)
    skipped: list[dt.datetime] = field(default_factory=list)


def backfill(
    source: psycopg.Connection,
    target: duckdb.DuckDBPyConnection,
    *,
    job: str,
    start: dt.datetime,
    end: dt.datetime,
    step: dt.timedelta = dt.timedelta(days=1),
    clock: Callable[[], dt.datetime],
) -> BackfillReport:
    """Copy [start, end) partition by partition; a rerun resumes and never double counts."""
    target.execute(TARGET_DDL)
    report = BackfillReport()
    for lo, hi in partitions(start, end, step):
        done = target.execute(
            "SELECT 1 FROM backfill_progress WHERE job = ? AND partition_start = ?", [job, lo]
        ).fetchone()
        if done:
            report.skipped.append(lo)
            continue
        rows = source.execute(
            "SELECT id, customer_id, amount, (updated_at AT TIME ZONE 'UTC') FROM orders"
            " WHERE updated_at >= %s AND updated_at < %s ORDER BY id",
            (lo.replace(tzinfo=dt.UTC), hi.replace(tzinfo=dt.UTC)),
        ).fetchall()
        target.execute("BEGIN")
        try:
            target.execute("CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM orders LIMIT 0")
            target.executemany("INSERT INTO staged VALUES (?, ?, ?, ?)", rows)
            target.execute(MERGE)
            target.execute("INSERT INTO backfill_progress VALUES (?, ?, ?, ?)", [job, lo, len(rows), clock()])
        except Exception:
            target.execute("ROLLBACK")  # data and checkpoint together, or neither
            raise
        target.execute("COMMIT")
        report.merged[lo] = len(rows)
    return report


# --8<-- [end:backfill]


# --8<-- [start:reconcile]
# The same profile on both sides: rows, total, and a hash of the canonical rows in id order.
SOURCE_PROFILE = """
SELECT (updated_at AT TIME ZONE 'UTC')::date AS day, count(*), coalesce(sum(amount), 0),
       md5(string_agg(concat_ws('|', id, customer_id, amount,
           floor(extract(epoch FROM updated_at) * 1000000)::bigint), ',' ORDER BY id))
FROM orders WHERE updated_at >= %s AND updated_at < %s GROUP BY 1
"""
TARGET_PROFILE = """
SELECT CAST(updated_at AS DATE) AS day, count(*), coalesce(sum(amount), 0),
       md5(string_agg(concat_ws('|', id, customer_id, amount, epoch_us(updated_at)), ',' ORDER BY id))
FROM orders WHERE updated_at >= ? AND updated_at < ? GROUP BY 1
"""


@dataclass(frozen=True)
class Tolerance:
    rows: int = 0
    amount: Decimal = Decimal("0")
    compare_hash: bool = True  # off when the target legitimately transforms values


@dataclass(frozen=True)
class PartitionCheck:
    day: dt.date
    source_rows: int
    target_rows: int
    source_amount: Decimal
    target_amount: Decimal
    reasons: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.reasons


def reconcile(
    source: psycopg.Connection,
    target: duckdb.DuckDBPyConnection,
    start: dt.datetime,
    end: dt.datetime,
    tolerance: Tolerance = Tolerance(),
) -> list[PartitionCheck]:
    src = {
        row[0]: row[1:]
        for row in source.execute(
            SOURCE_PROFILE, (start.replace(tzinfo=dt.UTC), end.replace(tzinfo=dt.UTC))
        ).fetchall()
    }
    tgt = {row[0]: row[1:] for row in target.execute(TARGET_PROFILE, [start, end]).fetchall()}
    checks = []
    for day in sorted(src.keys() | tgt.keys()):
        s_rows, s_amount, s_hash = src.get(day, (0, Decimal("0"), None))
        t_rows, t_amount, t_hash = tgt.get(day, (0, Decimal("0"), None))
        reasons = []
        if abs(s_rows - t_rows) > tolerance.rows:
            reasons.append(f"rows {s_rows} vs {t_rows}")
        if abs(Decimal(s_amount) - Decimal(t_amount)) > tolerance.amount:
            reasons.append(f"amount {s_amount} vs {t_amount}")
        if tolerance.compare_hash and s_hash != t_hash:
            reasons.append("row hash differs")
        checks.append(
            PartitionCheck(day, s_rows, t_rows, Decimal(s_amount), Decimal(t_amount), tuple(reasons))
        )
    return checks


def report_lines(checks: list[PartitionCheck]) -> list[str]:
    return [
        f"{c.day} {'OK   ' if c.ok else 'DRIFT'} rows {c.source_rows}/{c.target_rows} "
        f"amount {c.source_amount}/{c.target_amount}" + (f" ({'; '.join(c.reasons)})" if c.reasons else "")
        for c in checks
    ]


# --8<-- [end:reconcile]
