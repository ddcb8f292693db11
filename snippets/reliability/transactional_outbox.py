"""Transactional outbox on SQLite: the order and its event commit together; a relay publishes."""

# --8<-- [start:write]
import json
import sqlite3
import time
import uuid
from collections.abc import Callable
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    order_id    TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0)
);
CREATE TABLE IF NOT EXISTS outbox (
    position       INTEGER PRIMARY KEY AUTOINCREMENT,  -- publish order
    event_id       TEXT NOT NULL UNIQUE,               -- consumers dedupe on this
    aggregate_type TEXT NOT NULL,
    aggregate_id   TEXT NOT NULL,                      -- becomes the message key
    event_type     TEXT NOT NULL,
    payload        TEXT NOT NULL,
    created_at     REAL NOT NULL,
    published_at   REAL                                -- NULL until the relay has sent it
);
"""


def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    return conn


def place_order(conn: sqlite3.Connection, order_id: str, customer_id: str, total_cents: int) -> str:
    """Write the order and its event in one local transaction: both or neither."""
    event_id = str(uuid.uuid4())
    payload = {"order_id": order_id, "customer_id": customer_id, "total_cents": total_cents}
    with conn:
        conn.execute(
            "INSERT INTO orders (order_id, customer_id, total_cents) VALUES (?, ?, ?)",
            (order_id, customer_id, total_cents),
        )
        conn.execute(
            "INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, payload, created_at)"
            " VALUES (?, 'order', ?, 'order.placed', ?, ?)",
            (event_id, order_id, json.dumps(payload), time.time()),
        )
    return event_id


# --8<-- [end:write]


# --8<-- [start:relay]
def relay_once(
    conn: sqlite3.Connection,
    publish: Callable[[dict[str, Any]], None],
    *,
    batch_size: int = 100,
    now: Callable[[], float] = time.time,
) -> int:
    """Publish unsent events in order; mark each one only after the broker accepted it."""
    rows = conn.execute(
        "SELECT position, event_id, aggregate_type, aggregate_id, event_type, payload FROM outbox"
        " WHERE published_at IS NULL ORDER BY position LIMIT ?",
        (batch_size,),
    ).fetchall()
    for position, event_id, aggregate_type, aggregate_id, event_type, payload in rows:
        publish(
            {
                "event_id": event_id,
                "key": aggregate_id,  # same key, same partition: per-order ordering
                "topic": f"{aggregate_type}.events",
                "type": event_type,
                "payload": json.loads(payload),
            }
        )
        # A crash here (after publish, before the mark) republishes this event on
        # restart: delivery is at-least-once, so consumers dedupe on event_id.
        with conn:
            conn.execute("UPDATE outbox SET published_at = ? WHERE position = ?", (now(), position))
    return len(rows)


def purge_published(conn: sqlite3.Connection, older_than: float) -> int:
    with conn:
        return conn.execute(
            "DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < ?", (older_than,)
        ).rowcount


# --8<-- [end:relay]
