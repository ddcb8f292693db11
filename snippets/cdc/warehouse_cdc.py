"""Apply change events to a warehouse table with one MERGE per batch.

The SQL lives in ``warehouse_cdc.sql`` and runs unchanged on DuckDB, which
stands in here for Snowflake or BigQuery: all three support ``MERGE`` with
conditional ``WHEN MATCHED`` branches and ``QUALIFY``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import duckdb

SQL_FILE = Path(__file__).with_suffix(".sql")


@cache
def sql(section: str) -> str:
    """Return one named section of ``warehouse_cdc.sql``."""
    text = SQL_FILE.read_text(encoding="utf-8")
    match = re.search(rf"--8<-- \[start:{section}\]\n(.*?)^-- --8<-- \[end:{section}\]", text, re.S | re.M)
    if match is None:
        raise KeyError(f"no section {section!r} in {SQL_FILE.name}")
    return match.group(1)


# --8<-- [start:apply]
@dataclass(frozen=True)
class CustomerChange:
    id: int
    op: Literal["c", "r", "u", "d"]  # create, snapshot read, update, delete
    lsn: int  # source log position: the order in which the database committed
    name: str | None = None
    email: str | None = None


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql("target"))
    con.execute(sql("current"))


def apply_changes(con: duckdb.DuckDBPyConnection, changes: Iterable[CustomerChange]) -> int:
    """Stage a batch and merge it in one transaction; return the rows staged.

    Safe to call again with the same batch (after a crash before the source
    offset was committed): the ``_lsn`` guard makes a replay change nothing.
    """
    rows = [(c.id, c.op, c.lsn, c.name, c.email) for c in changes]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM customer_changes")
        if rows:
            con.executemany("INSERT INTO customer_changes VALUES (?, ?, ?, ?, ?)", rows)
            con.execute(sql("merge"))
        con.execute("DELETE FROM customer_changes")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(rows)


# --8<-- [end:apply]
