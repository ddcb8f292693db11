"""Backfill from a real PostgreSQL into DuckDB, rerun it, crash it, and catch deliberate drift."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg
import pytest

from snippets.operations.backfills_and_reconciliation import (
    Tolerance,
    backfill,
    partitions,
    reconcile,
    report_lines,
)

pytestmark = pytest.mark.engine

SQL = Path(__file__).resolve().parents[3] / "snippets" / "operations" / "debezium_incremental_snapshot.sql"
START = dt.datetime(2026, 11, 1)
END = dt.datetime(2026, 11, 4)
FINISHED = dt.datetime(2026, 11, 30, 6, 0)


def fixed_clock() -> dt.datetime:
    return FINISHED


@pytest.fixture
def source(pg_conn: psycopg.Connection) -> psycopg.Connection:
    """30 orders over three UTC days, one exactly on a midnight boundary."""
    rng = random.Random(19)
    pg_conn.execute(
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id text NOT NULL,"
        " amount numeric(12,2) NOT NULL, updated_at timestamptz NOT NULL)"
    )
    rows = []
    for i in range(1, 30):
        at = START.replace(tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randrange(0, 3 * 24 * 60))
        rows.append((i, f"C-{rng.randrange(1, 6)}", Decimal(rng.randrange(100, 99999)) / 100, at))
    rows.append((30, "C-9", Decimal("10.00"), dt.datetime(2026, 11, 2, tzinfo=dt.UTC)))  # boundary
    with pg_conn.cursor() as cur:
        cur.executemany("INSERT INTO orders VALUES (%s, %s, %s, %s)", rows)
    return pg_conn


@pytest.fixture
def target() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    yield conn
    conn.close()


def test_backfill_copies_every_row_once_and_reconciles(source, target) -> None:
    report = backfill(source, target, job="orders-2026-11", start=START, end=END, clock=fixed_clock)
    assert sum(report.merged.values()) == 30
    assert list(report.merged) == [START, START + dt.timedelta(days=1), START + dt.timedelta(days=2)]
    assert target.execute("SELECT count(*), count(DISTINCT id) FROM orders").fetchone() == (30, 30)
    checks = reconcile(source, target, START, END)
    assert len(checks) == 3
    assert all(c.ok for c in checks), report_lines(checks)  # counts, sums and hashes agree across engines
    (finished,) = {r[0] for r in target.execute("SELECT finished_at FROM backfill_progress").fetchall()}
    assert finished == FINISHED


def test_the_boundary_row_belongs_to_exactly_one_partition(source, target) -> None:
    report = backfill(source, target, job="j", start=START, end=END, clock=fixed_clock)
    day2 = START + dt.timedelta(days=1)
    in_day2 = source.execute(
        "SELECT count(*) FROM orders WHERE updated_at >= %s AND updated_at < %s",
        (day2.replace(tzinfo=dt.UTC), (day2 + dt.timedelta(days=1)).replace(tzinfo=dt.UTC)),
    ).fetchone()[0]
    assert report.merged[day2] == in_day2
    assert target.execute("SELECT count(*) FROM orders WHERE id = 30").fetchone() == (1,)


def test_a_rerun_skips_finished_partitions_and_changes_nothing(source, target) -> None:
    backfill(source, target, job="j", start=START, end=END, clock=fixed_clock)
    before = target.execute("SELECT * FROM orders ORDER BY id").fetchall()
    again = backfill(source, target, job="j", start=START, end=END, clock=fixed_clock)
    assert again.merged == {}
    assert len(again.skipped) == 3
    assert target.execute("SELECT * FROM orders ORDER BY id").fetchall() == before
    # A new job name forces a full re-merge: MERGE keeps it idempotent all the same.
    forced = backfill(source, target, job="j-force", start=START, end=END, clock=fixed_clock)
    assert sum(forced.merged.values()) == 30
    assert target.execute("SELECT * FROM orders ORDER BY id").fetchall() == before


def test_a_crash_rolls_back_the_partition_and_the_rerun_resumes(source, target) -> None:
    calls = {"n": 0}

    def failing_clock() -> dt.datetime:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return FINISHED

    with pytest.raises(RuntimeError, match="worker killed"):
        backfill(source, target, job="j", start=START, end=END, clock=failing_clock)
    done = target.execute("SELECT partition_start FROM backfill_progress").fetchall()
    assert done == [(START,)]  # the second partition left neither rows nor a checkpoint
    day2 = START + dt.timedelta(days=1)
    assert target.execute("SELECT count(*) FROM orders WHERE updated_at >= ?", [day2]).fetchone() == (0,)
    resumed = backfill(source, target, job="j", start=START, end=END, clock=fixed_clock)
    assert resumed.skipped == [START]
    assert all(c.ok for c in reconcile(source, target, START, END))


def test_a_backfill_never_overwrites_a_newer_row(source, target) -> None:
    backfill(source, target, job="first", start=START, end=END, clock=fixed_clock)
    newer = dt.datetime(2026, 11, 3, 23, 59)
    target.execute("UPDATE orders SET amount = 1.23, updated_at = ? WHERE id = 1", [newer])
    backfill(source, target, job="second", start=START, end=END, clock=fixed_clock)
    assert target.execute("SELECT amount, updated_at FROM orders WHERE id = 1").fetchone() == (
        Decimal("1.23"),
        newer,
    )


def test_reconciliation_catches_deliberate_drift(source, target) -> None:
    backfill(source, target, job="j", start=START, end=END, clock=fixed_clock)
    day_of = dict(target.execute("SELECT id, CAST(updated_at AS DATE) FROM orders").fetchall())

    target.execute("DELETE FROM orders WHERE id = 5")  # a lost row
    target.execute("UPDATE orders SET amount = amount + 0.01 WHERE id = 7")  # a rounding slip
    target.execute("UPDATE orders SET customer_id = 'C-X' WHERE id = 9")  # same sums, wrong content

    checks = {c.day: c for c in reconcile(source, target, START, END)}
    lost, slip, wrong = checks[day_of[5]], checks[day_of[7]], checks[day_of[9]]
    assert not lost.ok and lost.source_rows == lost.target_rows + 1
    assert any(r.startswith("rows ") for r in lost.reasons)
    assert any(r.startswith("amount ") for r in slip.reasons)
    assert "row hash differs" in wrong.reasons
    drifted = {day_of[5], day_of[7], day_of[9]}
    assert {day for day, c in checks.items() if not c.ok} == drifted

    lines = report_lines(list(checks.values()))
    assert sum(line.split()[1] == "DRIFT" for line in lines) == len(drifted)
    assert all(("(" in line) == (line.split()[1] == "DRIFT") for line in lines)


def test_tolerance_accepts_small_differences_when_asked(source, target) -> None:
    backfill(source, target, job="j", start=START, end=END, clock=fixed_clock)
    target.execute("UPDATE orders SET amount = amount + 0.01 WHERE id = 7")
    loose = Tolerance(amount=Decimal("0.01"), compare_hash=False)
    assert all(c.ok for c in reconcile(source, target, START, END, loose))
    assert not all(c.ok for c in reconcile(source, target, START, END))


def test_a_day_only_in_the_target_is_drift(source, target) -> None:
    backfill(source, target, job="j", start=START, end=END, clock=fixed_clock)
    target.execute("INSERT INTO orders VALUES (999, 'C-1', 5.00, TIMESTAMP '2026-11-03 12:00:00')")
    target.execute("DELETE FROM orders WHERE CAST(updated_at AS DATE) = DATE '2026-11-03' AND id <> 999")
    source.execute("DELETE FROM orders WHERE updated_at >= '2026-11-03T00:00:00Z'")
    (check,) = [c for c in reconcile(source, target, START, END) if c.day == dt.date(2026, 11, 3)]
    assert (check.source_rows, check.target_rows) == (0, 1)
    assert not check.ok


@pytest.mark.parametrize(
    ("start", "end", "step"),
    [(END, START, dt.timedelta(days=1)), (START, END, dt.timedelta(0)), (START, START, dt.timedelta(days=1))],
)
def test_bad_windows_are_refused_with_a_message(start, end, step) -> None:
    with pytest.raises(ValueError, match="start < end and a positive step"):
        list(partitions(start, end, step))


def test_partitions_cover_the_range_without_gaps() -> None:
    windows = list(partitions(START, END + dt.timedelta(hours=6), dt.timedelta(days=1)))
    assert windows[0][0] == START
    assert windows[-1][1] == END + dt.timedelta(hours=6)  # the last window is cut short
    assert all(a[1] == b[0] for a, b in zip(windows, windows[1:], strict=False))


def test_the_debezium_signal_sql_runs_against_postgres(pg_conn: psycopg.Connection) -> None:
    pg_conn.execute(SQL.read_text(encoding="utf-8"))
    (signal_id, kind, data) = pg_conn.execute("SELECT id, type, data FROM debezium_signal").fetchone()
    assert kind == "execute-snapshot"
    assert signal_id.startswith("backfill-orders")
    assert json.loads(data) == {"data-collections": ["public.orders"], "type": "incremental"}
