"""Logical decoding against a real PostgreSQL: slot, changes, confirm, lag."""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest

from snippets.cdc.cdc_approaches import (
    UNCHANGED_TOAST,
    confirm,
    create_slot,
    lsn_to_int,
    parse_change,
    read_changes,
    slot_lag_bytes,
)

pytestmark = pytest.mark.engine


def _make_customers(conn: psycopg.Connection) -> None:
    conn.execute(
        "CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL,"
        " email text, credit numeric(10, 2), active boolean NOT NULL DEFAULT true)"
    )


def test_insert_update_delete_arrive_in_commit_order(pg_conn: psycopg.Connection) -> None:
    _make_customers(pg_conn)
    create_slot(pg_conn, "orders_cdc")
    with pg_conn.transaction():
        pg_conn.execute("INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com', 10.50, true)")
        pg_conn.execute("INSERT INTO customers VALUES (2, 'O''Brien', NULL, NULL, false)")
    pg_conn.execute("UPDATE customers SET email = 'ada@example.org' WHERE id = 1")
    pg_conn.execute("DELETE FROM customers WHERE id = 2")

    events, last_lsn = read_changes(pg_conn, "orders_cdc")

    assert [(e.op, e.row["id"]) for e in events] == [("c", 1), ("c", 2), ("u", 1), ("d", 2)]
    assert events[0].row == {
        "id": 1,
        "name": "Ada",
        "email": "ada@example.com",
        "credit": Decimal("10.50"),
        "active": True,
    }
    # Quotes inside text are unescaped, SQL NULL becomes None.
    assert events[1].row["name"] == "O'Brien"
    assert events[1].row["email"] is None
    assert events[2].row["email"] == "ada@example.org"
    # With the default replica identity a delete carries only the key.
    assert events[3].row == {"id": 2}
    # Both inserts share a transaction; positions strictly increase.
    assert events[0].xid == events[1].xid != events[2].xid
    lsns = [e.lsn for e in events]
    assert lsns == sorted(lsns) and len(set(lsns)) == 4
    assert {e.table for e in events} == {"public.customers"}
    assert last_lsn is not None


def test_peek_does_not_consume_until_confirmed(pg_conn: psycopg.Connection) -> None:
    _make_customers(pg_conn)
    create_slot(pg_conn, "replay_demo")
    pg_conn.execute("INSERT INTO customers (id, name) VALUES (1, 'Ada')")

    first, lsn = read_changes(pg_conn, "replay_demo")
    again, same_lsn = read_changes(pg_conn, "replay_demo")  # e.g. after a crash before confirm
    assert first == again and lsn == same_lsn and len(first) == 1
    assert slot_lag_bytes(pg_conn, "replay_demo") > 0

    assert lsn is not None
    confirm(pg_conn, "replay_demo", lsn)
    assert read_changes(pg_conn, "replay_demo") == ([], None)

    pg_conn.execute("INSERT INTO customers (id, name) VALUES (2, 'Grace')")
    later, _ = read_changes(pg_conn, "replay_demo")
    assert [e.row["name"] for e in later] == ["Grace"]


def test_unconfirmed_slot_holds_back_wal(pg_conn: psycopg.Connection) -> None:
    _make_customers(pg_conn)
    create_slot(pg_conn, "forgotten")
    before = slot_lag_bytes(pg_conn, "forgotten")
    pg_conn.execute("INSERT INTO customers (id, name) SELECT g, 'bulk ' || g FROM generate_series(1, 2000) g")
    # Nobody reads the slot, so the server must keep every byte written since.
    assert slot_lag_bytes(pg_conn, "forgotten") > before + 100_000
    with pytest.raises(LookupError):
        slot_lag_bytes(pg_conn, "no_such_slot")


def test_unchanged_toasted_value_is_not_repeated(pg_conn: psycopg.Connection) -> None:
    pg_conn.execute("CREATE TABLE documents (id integer PRIMARY KEY, title text, body text)")
    # Incompressible text, large enough to be stored out of line (TOAST).
    pg_conn.execute(
        "INSERT INTO documents SELECT 1, 'draft', string_agg(md5(g::text), '') FROM generate_series(1, 500) g"
    )
    create_slot(pg_conn, "toast_demo")
    pg_conn.execute("UPDATE documents SET title = 'final' WHERE id = 1")

    (update,), _ = read_changes(pg_conn, "toast_demo")

    assert update.op == "u" and update.row["title"] == "final"
    # The consumer must keep the value it already has, not overwrite it.
    assert update.row["body"] is UNCHANGED_TOAST


def test_key_change_reports_the_new_tuple(pg_conn: psycopg.Connection) -> None:
    _make_customers(pg_conn)
    pg_conn.execute("INSERT INTO customers (id, name) VALUES (1, 'Ada')")
    create_slot(pg_conn, "rekey")
    pg_conn.execute("UPDATE customers SET id = 10 WHERE id = 1")

    (update,), _ = read_changes(pg_conn, "rekey")

    assert update.op == "u" and update.row["id"] == 10 and update.row["name"] == "Ada"


def test_parse_change_ignores_transaction_markers() -> None:
    assert parse_change("0/16B3748", 700, "BEGIN 700") is None
    assert parse_change("0/16B3790", 700, "COMMIT 700") is None


def test_quoted_names_arrays_and_floats(pg_conn: psycopg.Connection) -> None:
    pg_conn.execute(
        'CREATE TABLE "Odd Name" (id bigint PRIMARY KEY, "Full Name" varchar(20),'
        " tags text[], score double precision, note text)"
    )
    create_slot(pg_conn, "odd")
    pg_conn.execute("""INSERT INTO "Odd Name" VALUES (7, 'x y', '{a,b}', 1.5, NULL)""")

    (event,), _ = read_changes(pg_conn, "odd")

    assert event.table == 'public."Odd Name"'
    assert event.row == {"id": 7, "Full Name": "x y", "tags": "{a,b}", "score": Decimal("1.5"), "note": None}


def test_lsn_order_is_numeric_not_textual() -> None:
    assert lsn_to_int("0/A0000000") < lsn_to_int("1/0")
    assert lsn_to_int("0/9") < lsn_to_int("0/10")
