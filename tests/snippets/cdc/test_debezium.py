"""The Debezium handler against events in Debezium's documented format, and the connector config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from snippets.cdc.debezium import (
    UNAVAILABLE,
    Delete,
    NotAChangeEvent,
    SchemaChange,
    Truncate,
    Upsert,
    handle,
)

CONFIG = Path("snippets/cdc/debezium_postgres_connector.json")


def pg_source(lsn: int, snapshot: str = "false") -> dict:
    """The ``source`` block of a PostgreSQL connector event (Debezium 2.x/3.x field set)."""
    return {
        "version": "3.0.0.Final",
        "connector": "postgresql",
        "name": "inventory",
        "ts_ms": 1764000000000,
        "snapshot": snapshot,
        "db": "inventory",
        "sequence": '["24023119","24023128"]',
        "schema": "public",
        "table": "customers",
        "txId": 555,
        "lsn": lsn,
        "xmin": None,
    }


def record(payload: dict | None, *, with_schema: bool = False) -> bytes | None:
    if payload is None:
        return None
    if with_schema:
        return json.dumps({"schema": {"type": "struct", "optional": False}, "payload": payload}).encode()
    return json.dumps(payload).encode()


KEY = record({"id": 1})


def envelope(op: str, before: dict | None, after: dict | None, lsn: int, snapshot: str = "false") -> dict:
    return {
        "before": before,
        "after": after,
        "source": pg_source(lsn, snapshot),
        "transaction": None,
        "op": op,
        "ts_ms": 1764000000123,
    }


def test_create_event() -> None:
    event = handle(KEY, record(envelope("c", None, {"id": 1, "email": "ada@example.com"}, 33227720)))
    assert event == Upsert("public.customers", {"id": 1}, {"id": 1, "email": "ada@example.com"}, 33227720)


def test_schema_wrapped_value_is_unwrapped() -> None:
    wrapped_key = record({"id": 1}, with_schema=True)
    value = record(envelope("u", None, {"id": 1, "email": "new@example.com"}, 33228000), with_schema=True)
    event = handle(wrapped_key, value)
    assert isinstance(event, Upsert) and event.key == {"id": 1} and event.row["email"] == "new@example.com"


def test_snapshot_read_is_flagged() -> None:
    event = handle(KEY, record(envelope("r", None, {"id": 1}, 100, snapshot="true")))
    assert isinstance(event, Upsert) and event.snapshot


def test_delete_then_tombstone() -> None:
    delete = handle(KEY, record(envelope("d", {"id": 1, "email": None}, None, 33229000)))
    assert delete == Delete("public.customers", {"id": 1}, 33229000)
    # The tombstone that follows has the same key and a null value.
    assert handle(KEY, None) is None


def test_unchanged_toast_column_is_left_out() -> None:
    after = {"id": 1, "email": "a@x", "notes": UNAVAILABLE}
    event = handle(KEY, record(envelope("u", None, after, 500)))
    assert isinstance(event, Upsert)
    assert event.row == {"id": 1, "email": "a@x"} and event.unavailable == {"notes"}


def test_truncate_event() -> None:
    event = handle(None, record(envelope("t", None, None, 900)))
    assert event == Truncate("public.customers", 900)


def test_mysql_position_orders_across_binlog_files() -> None:
    def mysql(file: str, pos: int) -> bytes | None:
        source = {"connector": "mysql", "db": "inventory", "table": "customers", "file": file, "pos": pos}
        return record({"before": None, "after": {"id": 1}, "source": source, "op": "c", "ts_ms": 1})

    first, second = handle(KEY, mysql("mysql-bin.000003", 98765)), handle(KEY, mysql("mysql-bin.000004", 4))
    assert isinstance(first, Upsert) and isinstance(second, Upsert)
    assert first.table == "inventory.customers"
    assert first.position < second.position


def test_schema_change_event() -> None:
    # Shape of a MySQL connector schema change topic record.
    value = {
        "source": {"connector": "mysql", "db": "inventory", "file": "mysql-bin.000003", "pos": 154},
        "ts_ms": 1764000000000,
        "databaseName": "inventory",
        "schemaName": None,
        "ddl": "ALTER TABLE customers ADD COLUMN phone VARCHAR(32)",
        "tableChanges": [{"type": "ALTER", "id": '"inventory"."customers"', "table": {"columns": []}}],
    }
    event = handle(record({"databaseName": "inventory"}), record(value))
    assert event == SchemaChange("inventory", value["ddl"], ('"inventory"."customers"',))


@pytest.mark.parametrize(
    "bad",
    [
        envelope("x", None, None, 1),
        {"op": "c", "after": {"id": 1}, "source": {"connector": "oracle", "scn": "1"}},
    ],
)
def test_unknown_records_are_rejected(bad: dict) -> None:
    with pytest.raises(NotAChangeEvent):
        handle(KEY, record(bad))


# --- connector configuration -------------------------------------------------

REQUIRED = {
    "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
    "database.hostname": None,
    "database.port": None,
    "database.user": None,
    "database.password": None,
    "database.dbname": None,
    "topic.prefix": None,
}
INTEGER_KEYS = {"tasks.max", "database.port", "heartbeat.interval.ms"}
BOOLEAN_KEYS = {"tombstones.on.delete", "key.converter.schemas.enable", "value.converter.schemas.enable"}
ENUMS = {
    "plugin.name": {"pgoutput", "decoderbufs"},
    "snapshot.mode": {
        "always",
        "initial",
        "initial_only",
        "no_data",
        "when_needed",
        "configuration_based",
        "custom",
    },
    "publication.autocreate.mode": {"all_tables", "disabled", "filtered", "no_tables"},
    "decimal.handling.mode": {"precise", "double", "string"},
}


def test_connector_config_has_required_keys_and_valid_values() -> None:
    document = json.loads(CONFIG.read_text())
    assert set(document) == {"name", "config"} and document["name"]
    config = document["config"]
    # Kafka Connect's REST API takes a flat map of strings.
    assert all(isinstance(v, str) for v in config.values())
    for key, expected in REQUIRED.items():
        assert config.get(key), f"missing {key}"
        if expected is not None:
            assert config[key] == expected
    for key in INTEGER_KEYS & config.keys():
        assert config[key].isdigit(), key
    assert int(config["tasks.max"]) == 1  # the PostgreSQL connector always runs one task
    for key in BOOLEAN_KEYS & config.keys():
        assert config[key] in {"true", "false"}, key
    for key, allowed in ENUMS.items():
        assert config[key] in allowed, key


def test_connector_config_keeps_secrets_and_slots_safe() -> None:
    config = json.loads(CONFIG.read_text())["config"]
    # The password is a config-provider reference, never a literal.
    assert config["database.password"].startswith("${file:")
    # A heartbeat lets the slot advance on a quiet database (WAL would pile up otherwise),
    # and the heartbeat table must be captured for its writes to count.
    assert int(config["heartbeat.interval.ms"]) > 0
    captured = config["table.include.list"].split(",")
    assert config["heartbeat.action.query"].split()[1] in captured
    assert config["signal.data.collection"] in captured
    # Slot names: lower-case letters, digits and underscores only (PostgreSQL's rule).
    assert config["slot.name"].replace("_", "").isalnum() and config["slot.name"].islower()
