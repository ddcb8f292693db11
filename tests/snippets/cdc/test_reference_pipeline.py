"""End to end: a real PostgreSQL feeding a DuckDB warehouse table through a replication slot."""

from __future__ import annotations

import duckdb
import psycopg
import pytest

from snippets.cdc import reference_pipeline
from snippets.cdc.cdc_approaches import read_changes, slot_lag_bytes
from snippets.cdc.reference_pipeline import start, sync_once

pytestmark = pytest.mark.engine


def source_rows(pg: psycopg.Connection) -> list[tuple]:
    return pg.execute("SELECT id, name, email FROM customers ORDER BY id").fetchall()


def warehouse_rows(wh: duckdb.DuckDBPyConnection) -> list[tuple]:
    return wh.execute("SELECT id, name, email FROM customers_current ORDER BY id").fetchall()


@pytest.fixture
def pg(pg_conn: psycopg.Connection) -> psycopg.Connection:
    pg_conn.execute("CREATE TABLE customers (id integer PRIMARY KEY, name text, email text)")
    pg_conn.execute("CREATE TABLE audit (id serial PRIMARY KEY, note text)")
    pg_conn.execute("INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com'), (2, 'Grace', NULL)")
    return pg_conn


def test_backfill_then_stream_converges(pg: psycopg.Connection) -> None:
    wh = duckdb.connect()
    assert start(pg, wh, "warehouse") == 2
    assert warehouse_rows(wh) == source_rows(pg)

    pg.execute("INSERT INTO customers VALUES (3, 'Edsger', 'ed@example.com')")
    pg.execute("UPDATE customers SET email = 'grace@example.com' WHERE id = 2")
    pg.execute("DELETE FROM customers WHERE id = 1")
    pg.execute("INSERT INTO audit (note) VALUES ('other tables are filtered out')")
    with pg.transaction():
        pg.execute("INSERT INTO customers VALUES (1, 'Ada (returned)', NULL)")
        pg.execute("UPDATE customers SET name = 'Edsger D' WHERE id = 3")

    assert sync_once(pg, wh, "warehouse") == 5
    assert warehouse_rows(wh) == source_rows(pg)
    assert sync_once(pg, wh, "warehouse") == 0  # nothing pending once confirmed


def test_crash_before_confirm_replays_without_harm(pg: psycopg.Connection, monkeypatch) -> None:
    wh = duckdb.connect()
    start(pg, wh, "crashy")
    pg.execute("UPDATE customers SET name = 'Ada L' WHERE id = 1")
    pg.execute("DELETE FROM customers WHERE id = 2")

    def crash(*_args: object) -> None:
        raise ConnectionError("lost the source connection before confirming")

    monkeypatch.setattr(reference_pipeline, "confirm", crash)
    with pytest.raises(ConnectionError):
        sync_once(pg, wh, "crashy")
    monkeypatch.undo()
    # The warehouse already has the changes; the slot still holds them.
    assert warehouse_rows(wh) == source_rows(pg)
    assert len(read_changes(pg, "crashy")[0]) == 2

    assert sync_once(pg, wh, "crashy") == 2  # the replay
    assert warehouse_rows(wh) == source_rows(pg)
    assert read_changes(pg, "crashy") == ([], None)


def test_changes_during_backfill_are_not_lost(pg: psycopg.Connection, postgres_dsn: str) -> None:
    wh = duckdb.connect()
    # A second session commits while the copy is being taken.
    with psycopg.connect(postgres_dsn, autocommit=True) as other:
        original_create = reference_pipeline.create_slot

        def create_then_write(conn: psycopg.Connection, slot: str) -> str:
            lsn = original_create(conn, slot)
            other.execute("UPDATE customers SET name = 'Grace H' WHERE id = 2")
            other.execute("UPDATE customers SET name = 'Grace Hopper' WHERE id = 2")
            return lsn

        reference_pipeline.create_slot = create_then_write
        try:
            start(pg, wh, "busy")
        finally:
            reference_pipeline.create_slot = original_create
    # The copy already saw the final value; replaying the stream passes through
    # the intermediate value and ends at the same final state.
    sync_once(pg, wh, "busy")
    assert warehouse_rows(wh) == source_rows(pg)
    assert slot_lag_bytes(pg, "busy") == 0
