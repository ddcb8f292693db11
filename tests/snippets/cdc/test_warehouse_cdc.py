"""MERGE-based apply on DuckDB: duplicates, out-of-order events, deletes, re-inserts."""

from __future__ import annotations

import duckdb
import pytest

from snippets.cdc.warehouse_cdc import CustomerChange as C
from snippets.cdc.warehouse_cdc import apply_changes, create_tables, sql


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    create_tables(connection)
    return connection


def current(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT id, name, email FROM customers_current ORDER BY id").fetchall()


def test_insert_then_update(con: duckdb.DuckDBPyConnection) -> None:
    apply_changes(con, [C(1, "c", 10, "Ada", "ada@example.com")])
    apply_changes(con, [C(1, "u", 20, "Ada", "ada@example.org")])
    assert current(con) == [(1, "Ada", "ada@example.org")]


def test_duplicates_in_one_batch_collapse(con: duckdb.DuckDBPyConnection) -> None:
    event = C(1, "c", 10, "Ada", "ada@example.com")
    assert apply_changes(con, [event, event, event]) == 3
    assert current(con) == [(1, "Ada", "ada@example.com")]


def test_replaying_a_whole_batch_changes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    batch = [C(1, "c", 10, "Ada", "a@x"), C(2, "c", 11, "Grace", "g@x"), C(1, "u", 12, "Ada L", "a@x")]
    apply_changes(con, batch)
    snapshot = con.execute("SELECT * FROM customers ORDER BY id").fetchall()
    apply_changes(con, batch)
    assert con.execute("SELECT * FROM customers ORDER BY id").fetchall() == snapshot


def test_latest_position_wins_within_a_batch(con: duckdb.DuckDBPyConnection) -> None:
    apply_changes(
        con, [C(1, "u", 30, "newest", None), C(1, "c", 10, "oldest", None), C(1, "u", 20, "mid", None)]
    )
    assert current(con) == [(1, "newest", None)]


def test_late_event_from_an_earlier_batch_is_ignored(con: duckdb.DuckDBPyConnection) -> None:
    apply_changes(con, [C(1, "u", 30, "newest", None)])
    apply_changes(con, [C(1, "u", 20, "stale", None)])
    assert current(con) == [(1, "newest", None)]


def test_delete_hides_the_row_and_keeps_a_tombstone(con: duckdb.DuckDBPyConnection) -> None:
    apply_changes(con, [C(1, "c", 10, "Ada", "a@x"), C(2, "c", 11, "Grace", "g@x")])
    apply_changes(con, [C(2, "d", 12)])
    assert current(con) == [(1, "Ada", "a@x")]
    assert con.execute("SELECT _deleted, _lsn FROM customers WHERE id = 2").fetchone() == (True, 12)


def test_late_insert_does_not_resurrect_a_deleted_row(con: duckdb.DuckDBPyConnection) -> None:
    # The delete arrives first (out of order); the older insert must stay dead.
    apply_changes(con, [C(5, "d", 50)])
    apply_changes(con, [C(5, "c", 40, "ghost", None)])
    assert current(con) == []


def test_reinsert_after_delete_brings_the_row_back(con: duckdb.DuckDBPyConnection) -> None:
    apply_changes(con, [C(1, "c", 10, "Ada", "a@x")])
    apply_changes(con, [C(1, "d", 20)])
    apply_changes(con, [C(1, "c", 30, "Ada again", "new@x")])
    assert current(con) == [(1, "Ada again", "new@x")]


def test_delete_and_reinsert_in_the_same_batch(con: duckdb.DuckDBPyConnection) -> None:
    apply_changes(con, [C(1, "c", 10, "Ada", "a@x")])
    apply_changes(con, [C(1, "d", 20), C(1, "c", 30, "Ada 2", "b@x")])
    assert current(con) == [(1, "Ada 2", "b@x")]


def test_snapshot_reads_then_stream(con: duckdb.DuckDBPyConnection) -> None:
    apply_changes(con, [C(1, "r", 5, "Ada", "a@x"), C(2, "r", 5, "Grace", "g@x")])
    apply_changes(con, [C(2, "u", 9, "Grace H", "g@x")])
    assert current(con) == [(1, "Ada", "a@x"), (2, "Grace H", "g@x")]


def test_empty_batch_and_failed_batch_leave_table_unchanged(con: duckdb.DuckDBPyConnection) -> None:
    apply_changes(con, [C(1, "c", 10, "Ada", "a@x")])
    assert apply_changes(con, []) == 0
    with pytest.raises(duckdb.ConstraintException):
        apply_changes(con, [C(1, "u", 20, "never applied", None), C(2, "x", 21)])  # type: ignore[arg-type]
    assert current(con) == [(1, "Ada", "a@x")]
    assert con.execute("SELECT count(*) FROM customer_changes").fetchone() == (0,)


def test_unknown_sql_section() -> None:
    with pytest.raises(KeyError):
        sql("nope")
