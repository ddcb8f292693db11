"""PostgreSQL -> Debezium -> Kafka -> warehouse: the consumer, the backfill signal, the slot check.

Interpreting Debezium records and the MERGE are the CDC snippets'; this guide
adds the consumer loop that applies a batch and then commits its offset, a
dead-letter table for records that cannot be read, the incremental-snapshot
signal for backfills, and the replication-slot check to alert on.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

import duckdb
import psycopg

from snippets.cdc.debezium import Delete, NotAChangeEvent, Truncate, Upsert, handle
from snippets.cdc.warehouse_cdc import CustomerChange, apply_changes, create_tables


# --8<-- [start:consume]
class Record(Protocol):
    """The part of a ``confluent_kafka.Message`` the loop reads."""

    def topic(self) -> str: ...
    def partition(self) -> int: ...
    def offset(self) -> int: ...
    def key(self) -> bytes | None: ...
    def value(self) -> bytes | None: ...


class Source(Protocol):
    def consume(self, num_messages: int, timeout: float) -> list[Record]: ...
    def commit(self, message: Record, asynchronous: bool) -> Any: ...


DEAD_LETTERS = """
CREATE TABLE IF NOT EXISTS cdc_dead_letters (
    topic VARCHAR, kafka_partition INTEGER, kafka_offset BIGINT, error VARCHAR, raw_value VARCHAR,
    PRIMARY KEY (topic, kafka_partition, kafka_offset)
)
"""


def to_change(event: Upsert | Delete) -> CustomerChange:
    """Map a ``public.customers`` event to the warehouse MERGE's input."""
    if isinstance(event, Delete):
        return CustomerChange(id=int(event.key["id"]), op="d", lsn=event.position)
    op = "r" if event.snapshot else "u"
    return CustomerChange(
        int(event.row["id"]), op, event.position, event.row.get("name"), event.row.get("email")
    )


def apply_batch(source: Source, con: duckdb.DuckDBPyConnection, *, batch_size: int = 500) -> dict[str, int]:
    """Read one batch, MERGE it, then commit the offsets: a crash before the commit replays safely."""
    create_tables(con)
    con.execute(DEAD_LETTERS)
    records = source.consume(num_messages=batch_size, timeout=1.0)
    changes, counts = [], {"applied": 0, "tombstones": 0, "dead_letters": 0, "truncates": 0}
    for record in records:
        try:
            event = handle(record.key(), record.value())
        except (NotAChangeEvent, ValueError, KeyError, TypeError) as error:
            # A record nobody can read is set aside with its coordinates; the rest go on.
            con.execute(
                "INSERT INTO cdc_dead_letters VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    f"{type(error).__name__}: {error}",
                    (record.value() or b"").decode("utf-8", "replace"),
                ],
            )
            counts["dead_letters"] += 1
            continue
        if event is None:
            counts["tombstones"] += 1  # compaction marker: the delete before it did the work
        elif isinstance(event, Truncate):
            apply_changes(con, changes)  # keep the order: changes before the truncate first
            changes = []
            con.execute(
                "UPDATE customers SET name = NULL, email = NULL, _deleted = true, _lsn = ? WHERE _lsn < ?",
                [event.position, event.position],
            )
            counts["truncates"] += 1
        elif isinstance(event, Upsert | Delete) and event.table == "public.customers":
            changes.append(to_change(event))
    counts["applied"] = apply_changes(con, changes)
    last_by_partition: dict[tuple[str, int], Record] = {}
    for record in records:
        last_by_partition[(record.topic(), record.partition())] = record
    for record in last_by_partition.values():
        source.commit(message=record, asynchronous=False)  # only after the MERGE committed
    return counts


# --8<-- [end:consume]


# --8<-- [start:backfill]
def request_incremental_snapshot(
    pg: psycopg.Connection, tables: list[str], signal_table: str = "debezium.signals"
) -> str:
    """Ask the running connector to re-read ``tables`` in chunks, alongside live changes."""
    signal_id = str(uuid.uuid4())
    data = json.dumps({"data-collections": tables, "type": "incremental"})
    pg.execute(
        f"INSERT INTO {signal_table} (id, type, data) VALUES (%s, 'execute-snapshot', %s)",  # noqa: S608
        (signal_id, data),
    )
    return signal_id


# --8<-- [end:backfill]


# --8<-- [start:monitor]
SLOT_LAG = """
SELECT slot_name,
       active,
       pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint        AS retained_bytes,
       pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS unconfirmed_bytes
FROM pg_replication_slots
WHERE slot_type = 'logical'
ORDER BY slot_name
"""


@dataclass(frozen=True)
class SlotAlert:
    slot: str
    severity: str  # "warning" or "critical"
    reason: str


def slot_alerts(
    pg: psycopg.Connection, *, warn_bytes: int = 1 << 30, critical_bytes: int = 10 << 30
) -> list[SlotAlert]:
    """Alert on slots that hold back WAL: the source disk fills while nobody reads them."""
    alerts = []
    for slot, active, retained, _unconfirmed in pg.execute(SLOT_LAG).fetchall():
        if not active:
            alerts.append(SlotAlert(slot, "warning", "no consumer is connected to the slot"))
        if retained >= critical_bytes:
            alerts.append(SlotAlert(slot, "critical", f"{retained:,} bytes of WAL retained"))
        elif retained >= warn_bytes:
            alerts.append(SlotAlert(slot, "warning", f"{retained:,} bytes of WAL retained"))
    return alerts


# --8<-- [end:monitor]
