"""Log-based CDC by hand: read PostgreSQL's logical decoding output.

PostgreSQL turns its write-ahead log into row changes through a logical
replication slot. The slot remembers how far its consumer has confirmed, and
the server keeps WAL from that point on, so a consumer that crashes resumes
exactly where it left off. This module uses the built-in ``test_decoding``
plugin through plain SQL functions, which is enough to see every moving part.
Production tools (Debezium, managed CDC services) use the ``pgoutput`` plugin
over the streaming replication protocol instead.
"""

# --8<-- [start:events]
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import psycopg

UNCHANGED_TOAST = object()
"""Stands for a large (TOASTed) value the log did not repeat because it did not change."""


@dataclass(frozen=True)
class ChangeEvent:
    """One row change, in the order the database committed it."""

    lsn: int  # position in the write-ahead log: a total order of changes
    xid: int  # transaction id: changes with the same xid commit together
    table: str  # schema-qualified, e.g. "public.customers"
    op: Literal["c", "u", "d"]  # create, update, delete (Debezium's letters)
    row: dict[str, Any]  # new values; for a delete, the key columns only


# --8<-- [end:events]


# --8<-- [start:parse]
_CHANGE = re.compile(r"^table (?P<table>.+?): (?P<action>INSERT|UPDATE|DELETE): (?P<columns>.*)$")
_COLUMN = re.compile(r"(?P<name>\"(?:[^\"]|\"\")+\"|[^\s\[]+)\[(?P<type>.+?)\]:(?P<value>'(?:[^']|'')*'|\S+)")
_OPS: dict[str, Literal["c", "u", "d"]] = {"INSERT": "c", "UPDATE": "u", "DELETE": "d"}
_INTEGER_TYPES = {"smallint", "integer", "bigint"}


def lsn_to_int(lsn: str) -> int:
    """Turn an LSN such as ``'0/1A2B3C8'`` into a number that sorts correctly."""
    high, _, low = lsn.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


def _typed(pg_type: str, text: str) -> Any:
    if text == "null":
        return None
    if text == "unchanged-toast-datum":
        return UNCHANGED_TOAST
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    if pg_type in _INTEGER_TYPES:
        return int(text)
    if pg_type == "boolean":
        return text == "true"
    if pg_type.startswith("numeric") or pg_type in {"real", "double precision"}:
        return Decimal(text)
    return text


def parse_change(lsn: str, xid: int, data: str) -> ChangeEvent | None:
    """Parse one ``test_decoding`` line; ``BEGIN``/``COMMIT`` lines give ``None``."""
    match = _CHANGE.match(data)
    if match is None:
        return None
    columns = match["columns"]
    # An UPDATE that changes the key (or a table with REPLICA IDENTITY FULL)
    # prints the old values first; the new tuple is what the row is now.
    if "new-tuple: " in columns:
        columns = columns.split("new-tuple: ", 1)[1]
    row = {col["name"].strip('"'): _typed(col["type"], col["value"]) for col in _COLUMN.finditer(columns)}
    return ChangeEvent(lsn_to_int(lsn), xid, match["table"], _OPS[match["action"]], row)


# --8<-- [end:parse]


# --8<-- [start:slot]
def create_slot(conn: psycopg.Connection, slot: str) -> str:
    """Create a logical replication slot; changes committed after this are kept for it."""
    row = conn.execute(
        "SELECT lsn FROM pg_create_logical_replication_slot(%s, 'test_decoding')", [slot]
    ).fetchone()
    assert row is not None
    return str(row[0])


def read_changes(
    conn: psycopg.Connection, slot: str, limit: int = 1000
) -> tuple[list[ChangeEvent], str | None]:
    """Peek at pending changes without consuming them.

    Returns the change events and the LSN to confirm once they are safely
    applied (``None`` when nothing is pending). Peeking, then advancing only
    after the apply succeeded, gives at-least-once delivery: a crash in between
    means the same changes are read again, never lost.
    """
    rows = conn.execute(
        "SELECT lsn, xid, data FROM pg_logical_slot_peek_changes(%s, NULL, %s, 'skip-empty-xacts', '1')",
        [slot, limit],
    ).fetchall()
    events = [event for lsn, xid, data in rows if (event := parse_change(str(lsn), int(xid), data))]
    last_lsn = str(rows[-1][0]) if rows else None
    return events, last_lsn


def confirm(conn: psycopg.Connection, slot: str, lsn: str) -> None:
    """Tell the server everything up to ``lsn`` is applied, so it can recycle that WAL."""
    conn.execute("SELECT pg_replication_slot_advance(%s, %s::pg_lsn)", [slot, lsn])


# --8<-- [end:slot]


# --8<-- [start:lag]
def slot_lag_bytes(conn: psycopg.Connection, slot: str) -> int:
    """WAL the server keeps only because this slot has not confirmed it yet."""
    row = conn.execute(
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint"
        " FROM pg_replication_slots WHERE slot_name = %s",
        [slot],
    ).fetchone()
    if row is None:
        raise LookupError(f"no replication slot named {slot!r}")
    return int(row[0])


# --8<-- [end:lag]
