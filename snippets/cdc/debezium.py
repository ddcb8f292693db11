"""Turn Debezium change events into upserts, deletes and schema changes.

A Debezium record arrives on Kafka as a key and a value. With the JSON
converter the value is either the envelope itself or, when
``value.converter.schemas.enable=true``, ``{"schema": ..., "payload": envelope}``.
The handler accepts both, so a converter setting cannot silently break it.
"""

# --8<-- [start:types]
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

UNAVAILABLE = "__debezium_unavailable_value"  # Debezium's default placeholder for unchanged TOAST values


@dataclass(frozen=True)
class Upsert:
    table: str
    key: dict[str, Any]
    row: dict[str, Any]  # columns whose value is known; unchanged TOASTed columns are left out
    position: int  # source log position (PostgreSQL LSN): the apply order
    snapshot: bool = False  # True for rows read by the initial snapshot (op "r")
    unavailable: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Delete:
    table: str
    key: dict[str, Any]
    position: int


@dataclass(frozen=True)
class Truncate:
    table: str
    position: int


@dataclass(frozen=True)
class SchemaChange:
    database: str
    ddl: str
    tables: tuple[str, ...]  # ids of the tables the statement changed


# --8<-- [end:types]


class NotAChangeEvent(ValueError):
    """The record is neither a change event, a tombstone nor a schema change."""


# --8<-- [start:handle]
def _payload(raw: bytes | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    document = json.loads(raw)
    if isinstance(document, dict) and "payload" in document and "schema" in document:
        return document["payload"]
    return document


def _position(source: dict[str, Any]) -> int:
    if "lsn" in source:  # PostgreSQL
        return int(source["lsn"])
    if "pos" in source:  # MySQL: binlog file number and offset in it
        return int(source["file"].rsplit(".", 1)[1]) << 32 | int(source["pos"])
    raise NotAChangeEvent(f"no log position in source block: {sorted(source)}")


def handle(key: bytes | None, value: bytes | None) -> Upsert | Delete | Truncate | SchemaChange | None:
    """Interpret one Debezium record. Returns ``None`` for a tombstone.

    A tombstone (a null value after a delete) exists only so Kafka log
    compaction can drop every older record with that key; the delete event
    before it already told us the row is gone.
    """
    envelope = _payload(value)
    if envelope is None:
        return None
    if "ddl" in envelope:  # schema change topic (MySQL, SQL Server, Oracle, Db2)
        changes = envelope.get("tableChanges") or []
        return SchemaChange(
            envelope.get("databaseName", ""), envelope["ddl"], tuple(c["id"] for c in changes)
        )
    op = envelope.get("op")
    source = envelope.get("source") or {}
    table = f"{source.get('schema') or source.get('db')}.{source.get('table')}"
    position = _position(source)
    row_key = _payload(key) or {}
    if op in ("c", "r", "u"):
        after = envelope["after"]
        unavailable = frozenset(name for name, v in after.items() if v == UNAVAILABLE)
        row = {name: v for name, v in after.items() if name not in unavailable}
        return Upsert(table, row_key, row, position, snapshot=op == "r", unavailable=unavailable)
    if op == "d":
        return Delete(table, row_key, position)
    if op == "t":
        return Truncate(table, position)
    raise NotAChangeEvent(f"unknown op {op!r}")


# --8<-- [end:handle]
