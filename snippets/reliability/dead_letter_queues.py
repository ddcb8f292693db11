"""A work queue with a dead-letter table on SQLite: nothing is lost, replay is safe to repeat."""

# --8<-- [start:schema]
import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS queue (
    message_id      TEXT PRIMARY KEY,
    payload         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      REAL NOT NULL,          -- earliest time of the next attempt
    first_failed_at REAL,
    last_error      TEXT
);
CREATE TABLE IF NOT EXISTS dead_letters (
    message_id      TEXT PRIMARY KEY,
    payload         TEXT NOT NULL,          -- the original message, unchanged
    error_type      TEXT NOT NULL,
    error           TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    first_failed_at REAL NOT NULL,
    last_failed_at  REAL NOT NULL,
    replayed_at     REAL                    -- NULL until an operator replays it
);
"""


def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    return conn


def enqueue(conn: sqlite3.Connection, message_id: str, payload: dict[str, Any], now: float) -> None:
    with conn:
        conn.execute(
            "INSERT OR IGNORE INTO queue (message_id, payload, not_before) VALUES (?, ?, ?)",
            (message_id, json.dumps(payload), now),
        )


# --8<-- [end:schema]


# --8<-- [start:consume]
def consume_one(
    conn: sqlite3.Connection,
    handler: Callable[[dict[str, Any]], None],
    *,
    max_attempts: int = 5,
    backoff: Callable[[int], float] = lambda attempts: min(300.0, 2.0**attempts),
    now: Callable[[], float] = time.time,
) -> str | None:
    """Process the oldest due message. Returns what happened, or None if nothing is due."""
    row = conn.execute(
        "SELECT message_id, payload, attempts, first_failed_at FROM queue "
        "WHERE not_before <= ? ORDER BY not_before, message_id LIMIT 1",
        (now(),),
    ).fetchone()
    if row is None:
        return None
    message_id, payload, attempts, first_failed_at = row
    try:
        handler(json.loads(payload))
    except Exception as error:
        failed_at = now()
        attempts += 1
        first_failed_at = first_failed_at or failed_at
        with conn:  # move-or-reschedule is one transaction: the message is never in neither table
            if attempts >= max_attempts:
                conn.execute(
                    "INSERT INTO dead_letters (message_id, payload, error_type, error, attempts,"
                    " first_failed_at, last_failed_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (message_id) DO UPDATE SET error_type = excluded.error_type,"
                    " error = excluded.error, attempts = dead_letters.attempts + excluded.attempts,"
                    " last_failed_at = excluded.last_failed_at, replayed_at = NULL",
                    (
                        message_id,
                        payload,
                        type(error).__name__,
                        str(error),
                        attempts,
                        first_failed_at,
                        failed_at,
                    ),
                )
                conn.execute("DELETE FROM queue WHERE message_id = ?", (message_id,))
                return "dead-lettered"
            conn.execute(
                "UPDATE queue SET attempts = ?, first_failed_at = ?, last_error = ?, not_before = ?"
                " WHERE message_id = ?",
                (
                    attempts,
                    first_failed_at,
                    f"{type(error).__name__}: {error}",
                    failed_at + backoff(attempts),
                    message_id,
                ),
            )
            return "retry-scheduled"
    with conn:  # delete only after the handler succeeded: a crash before this line redelivers
        conn.execute("DELETE FROM queue WHERE message_id = ?", (message_id,))
    return "done"


# --8<-- [end:consume]


# --8<-- [start:inspect]
def dead_letter_summary(conn: sqlite3.Connection, now: float) -> dict[str, Any]:
    """Numbers to alert on: how many are waiting and how old the oldest is."""
    count, oldest = conn.execute(
        "SELECT count(*), min(last_failed_at) FROM dead_letters WHERE replayed_at IS NULL"
    ).fetchone()
    by_error = dict(
        conn.execute(
            "SELECT error_type, count(*) FROM dead_letters WHERE replayed_at IS NULL"
            " GROUP BY error_type ORDER BY error_type"
        ).fetchall()
    )
    return {"waiting": count, "oldest_age_seconds": now - oldest if oldest else 0.0, "by_error": by_error}


# --8<-- [end:inspect]


# --8<-- [start:replay]
def replay(conn: sqlite3.Connection, message_ids: Iterable[str] | None = None, *, now: float) -> int:
    """Put dead letters back on the queue. Running it twice replays nothing twice."""
    with conn:
        query = "SELECT message_id, payload FROM dead_letters WHERE replayed_at IS NULL"
        params: tuple[str, ...] = ()
        if message_ids is not None:
            params = tuple(message_ids)
            query += f" AND message_id IN ({', '.join('?' * len(params))})"
        rows = conn.execute(query, params).fetchall()
        for message_id, payload in rows:
            conn.execute(
                "INSERT OR IGNORE INTO queue (message_id, payload, not_before) VALUES (?, ?, ?)",
                (message_id, payload, now),
            )
            conn.execute("UPDATE dead_letters SET replayed_at = ? WHERE message_id = ?", (now, message_id))
    return len(rows)


# --8<-- [end:replay]
