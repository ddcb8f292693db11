"""Debezium records -> consumer -> MERGE in DuckDB; the backfill signal and slot check on PostgreSQL.

The records are what Debezium's PostgreSQL connector writes to Kafka with the
JSON converter (schemas off), handed over by a stand-in for the consumer; the
signal and the replication-slot check run on a real PostgreSQL with logical
decoding.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb
import pytest

from snippets.solutions.debezium_to_snowflake import apply_batch, request_incremental_snapshot, slot_alerts

TOPIC = "inventory.public.customers"


@dataclass
class Msg:
    _offset: int
    _key: bytes | None
    _value: bytes | None
    _partition: int = 0
    _topic: str = TOPIC

    def topic(self) -> str:
        return self._topic

    def partition(self) -> int:
        return self._partition

    def offset(self) -> int:
        return self._offset

    def key(self) -> bytes | None:
        return self._key

    def value(self) -> bytes | None:
        return self._value


class Consumer:
    """Hands out queued records; remembers commits; can crash on commit."""

    def __init__(self, records: list[Msg], *, crash_on_commit: bool = False) -> None:
        self.records, self.crash, self.committed = records, crash_on_commit, {}

    def consume(self, num_messages: int, timeout: float) -> list[Msg]:
        batch, self.records = self.records[:num_messages], self.records[num_messages:]
        return batch

    def commit(self, message: Msg, asynchronous: bool) -> None:
        if self.crash:
            raise RuntimeError("consumer died before committing")
        self.committed[(message.topic(), message.partition())] = message.offset() + 1


def change(
    offset: int, op: str, lsn: int, row_id: int, name: str | None = None, table: str = "customers"
) -> Msg:
    after = None if op == "d" else {"id": row_id, "name": name, "email": f"{name}@example.org".lower()}
    before = {"id": row_id} if op == "d" else None
    value = {
        "before": before,
        "after": after,
        "source": {"connector": "postgresql", "schema": "public", "table": table, "lsn": lsn},
        "op": op,
        "ts_ms": 1764493200000,
    }
    return Msg(offset, json.dumps({"id": row_id}).encode(), json.dumps(value).encode())


def current(con) -> list[tuple]:
    return con.execute("SELECT id, name FROM customers_current ORDER BY id").fetchall()


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def test_snapshot_updates_deletes_tombstones_and_a_poison_record(con) -> None:
    records = [
        change(0, "r", 100, 1, "Ada"),
        change(1, "r", 100, 2, "Grace"),
        change(2, "u", 200, 1, "Ada Lovelace"),
        change(3, "d", 300, 2),
        Msg(4, json.dumps({"id": 2}).encode(), None),  # tombstone after the delete
        Msg(5, b'{"id": 3}', b"{not json"),  # poison
        change(6, "u", 310, 99, "beat", table="heartbeat"),  # the heartbeat table's own events
        change(7, "c", 320, 3, "Linus"),
    ]
    source = Consumer(records)
    counts = apply_batch(source, con)
    assert counts == {"applied": 5, "tombstones": 1, "dead_letters": 1, "truncates": 0}
    assert current(con) == [(1, "Ada Lovelace"), (3, "Linus")]
    assert con.execute("SELECT _deleted FROM customers WHERE id = 2").fetchone() == (True,)  # a tombstone row
    letter = con.execute("SELECT kafka_offset, error, raw_value FROM cdc_dead_letters").fetchone()
    assert letter[0] == 5 and letter[1].startswith("JSONDecodeError") and letter[2] == "{not json"
    assert source.committed == {(TOPIC, 0): 8}


def test_a_crash_before_the_commit_replays_the_batch_harmlessly(con) -> None:
    batch = [change(0, "c", 100, 1, "Ada"), change(1, "u", 200, 1, "Ada L.")]
    with pytest.raises(RuntimeError, match="before committing"):
        apply_batch(Consumer(list(batch), crash_on_commit=True), con)
    replay = Consumer(list(batch))  # the group hands the same records out again
    apply_batch(replay, con)
    assert current(con) == [(1, "Ada L.")]
    assert con.execute("SELECT _lsn FROM customers WHERE id = 1").fetchone() == (200,)
    assert replay.committed == {(TOPIC, 0): 2}


def test_late_older_events_and_resurrection_are_ignored(con) -> None:
    apply_batch(Consumer([change(0, "u", 500, 1, "New"), change(1, "d", 600, 2)]), con)
    apply_batch(Consumer([change(2, "u", 400, 1, "Old"), change(3, "u", 550, 2, "Back?")]), con)
    assert current(con) == [(1, "New")]


def test_a_truncate_marks_every_earlier_row_deleted_and_later_rows_survive(con) -> None:
    truncate = {"source": {"schema": "public", "table": "customers", "lsn": 700}, "op": "t"}
    records = [
        change(0, "c", 600, 1, "Ada"),
        Msg(1, None, json.dumps(truncate).encode()),
        change(2, "c", 800, 2, "Grace"),
    ]
    counts = apply_batch(Consumer(records), con)
    assert counts["truncates"] == 1
    assert current(con) == [(2, "Grace")]


def test_partitions_commit_their_own_last_offsets(con) -> None:
    records = [change(10, "c", 100, 1, "A"), change(4, "c", 110, 2, "B"), change(11, "c", 120, 3, "C")]
    records[1]._partition = 1
    source = Consumer(records)
    apply_batch(source, con)
    assert source.committed == {(TOPIC, 0): 12, (TOPIC, 1): 5}
    assert apply_batch(Consumer([]), con)["applied"] == 0


def test_backfill_signal_is_written_to_the_signal_table(pg_conn) -> None:
    pg_conn.execute("CREATE SCHEMA IF NOT EXISTS debezium")
    pg_conn.execute(
        "CREATE TABLE IF NOT EXISTS debezium.signals (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL,"
        " data VARCHAR(2048))"
    )
    signal_id = request_incremental_snapshot(pg_conn, ["public.customers", "public.orders"])
    kind, data = pg_conn.execute(
        "SELECT type, data FROM debezium.signals WHERE id = %s", (signal_id,)
    ).fetchone()
    assert kind == "execute-snapshot"
    assert json.loads(data) == {
        "data-collections": ["public.customers", "public.orders"],
        "type": "incremental",
    }
    pg_conn.execute("DROP SCHEMA debezium CASCADE")


def test_an_unread_slot_retaining_wal_raises_alerts(pg_conn: Any) -> None:
    pg_conn.execute("SELECT pg_create_logical_replication_slot('guide_slot', 'pgoutput')")
    pg_conn.execute("CREATE TABLE churn (id serial PRIMARY KEY, payload text)")
    pg_conn.execute("INSERT INTO churn (payload) SELECT repeat('x', 500) FROM generate_series(1, 2000)")
    pg_conn.execute("SELECT pg_switch_wal()")
    assert slot_alerts(pg_conn) == [
        a for a in slot_alerts(pg_conn) if a.reason == "no consumer is connected to the slot"
    ]  # default thresholds (1 GiB): only the inactive-slot warning
    alerts = slot_alerts(pg_conn, warn_bytes=1, critical_bytes=1 << 40)
    assert {(a.slot, a.severity) for a in alerts} == {("guide_slot", "warning")}
    assert any("bytes of WAL retained" in a.reason for a in alerts)
    critical = slot_alerts(pg_conn, warn_bytes=1, critical_bytes=1)
    assert [a.severity for a in critical if "WAL" in a.reason] == ["critical"]
    pg_conn.execute("SELECT pg_drop_replication_slot('guide_slot')")
    assert slot_alerts(pg_conn) == []
