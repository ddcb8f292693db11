"""The reference pipeline in miniature: PostgreSQL slot -> change events -> warehouse MERGE.

The order of the three steps in :func:`sync_once` is the whole design: read
without consuming, apply idempotently, and only then confirm the position to
the source. A crash anywhere means the next run reads the same changes again,
and the ``_lsn`` guard in the MERGE makes the repeat harmless.
"""

from __future__ import annotations

import duckdb
import psycopg

from snippets.cdc.cdc_approaches import ChangeEvent, confirm, create_slot, lsn_to_int, read_changes
from snippets.cdc.warehouse_cdc import CustomerChange, apply_changes, create_tables


def to_customer_change(event: ChangeEvent) -> CustomerChange:
    row = event.row
    return CustomerChange(row["id"], event.op, event.lsn, row.get("name"), row.get("email"))


# --8<-- [start:backfill]
def start(pg: psycopg.Connection, warehouse: duckdb.DuckDBPyConnection, slot: str) -> int:
    """Create the slot first, then copy the table: no change can fall between the two.

    Every change the slot will stream sits at or after its starting position,
    so copied rows are stamped just before it: any streamed change wins over
    the copy. Changes committed during the copy are in both; ordered,
    idempotent applies make the repeat safe.
    """
    create_tables(warehouse)
    copied_at = lsn_to_int(create_slot(pg, slot)) - 1
    rows = pg.execute("SELECT id, name, email FROM customers").fetchall()
    return apply_changes(warehouse, [CustomerChange(i, "r", copied_at, n, e) for i, n, e in rows])


# --8<-- [end:backfill]


# --8<-- [start:sync]
def sync_once(pg: psycopg.Connection, warehouse: duckdb.DuckDBPyConnection, slot: str) -> int:
    events, last_lsn = read_changes(pg, slot)  # 1. read, not consumed yet
    changes = [to_customer_change(e) for e in events if e.table == "public.customers"]
    applied = apply_changes(warehouse, changes)  # 2. apply in one warehouse transaction
    if last_lsn is not None:
        confirm(pg, slot, last_lsn)  # 3. only now may the source recycle that WAL
    return applied


# --8<-- [end:sync]
