"""Exactly-once effects on at-least-once delivery: a dedup store with a TTL, and upserts."""

# --8<-- [start:imports]
import sqlite3
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

# --8<-- [end:imports]


# --8<-- [start:consumer]
SCHEMA = """
CREATE TABLE IF NOT EXISTS processed_messages (
    idempotency_key TEXT PRIMARY KEY,
    expires_at      REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    account_id TEXT PRIMARY KEY,
    balance    INTEGER NOT NULL
);
"""


def connect(path: str) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves. timeout: wait for a
    # concurrent writer instead of failing with "database is locked".
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.executescript(SCHEMA)
    return conn


def handle_once(
    conn: sqlite3.Connection,
    idempotency_key: str,
    effect: Callable[[sqlite3.Connection], None],
    *,
    ttl_seconds: float = 7 * 24 * 3600,
    now: Callable[[], float] = time.time,
) -> bool:
    """Apply `effect` unless this key was seen within the TTL. Returns True if applied."""
    conn.execute("BEGIN IMMEDIATE")  # take the write lock first: no check-then-act race
    try:
        current = now()
        conn.execute(
            "DELETE FROM processed_messages WHERE idempotency_key = ? AND expires_at <= ?",
            (idempotency_key, current),
        )
        claimed = conn.execute(
            "INSERT INTO processed_messages (idempotency_key, expires_at) VALUES (?, ?)"
            " ON CONFLICT (idempotency_key) DO NOTHING",
            (idempotency_key, current + ttl_seconds),
        ).rowcount
        if claimed:
            effect(conn)  # same transaction as the key: both commit or neither does
        conn.execute("COMMIT")
        return bool(claimed)
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def purge_expired(conn: sqlite3.Connection, now: float) -> int:
    """Run on a schedule so the dedup table does not grow forever."""
    return conn.execute("DELETE FROM processed_messages WHERE expires_at <= ?", (now,)).rowcount


# --8<-- [end:consumer]


# --8<-- [start:credit]
def credit(account_id: str, amount: int) -> Callable[[sqlite3.Connection], None]:
    """The business effect: not idempotent by itself (running it twice pays twice)."""

    def apply(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO accounts (account_id, balance) VALUES (?, ?)"
            " ON CONFLICT (account_id) DO UPDATE SET balance = balance + excluded.balance",
            (account_id, amount),
        )

    return apply


# --8<-- [end:credit]


# --8<-- [start:upsert]
CUSTOMERS = """
CREATE TABLE IF NOT EXISTS customers (
    customer_id TEXT PRIMARY KEY,
    email       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL  -- the source's version of the record
);
"""


def apply_customer(conn: sqlite3.Connection, customer_id: str, email: str, updated_at: int) -> bool:
    """Idempotent and order-safe: replays change nothing, older versions never overwrite newer."""
    cursor = conn.execute(
        "INSERT INTO customers (customer_id, email, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (customer_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at"
        " WHERE excluded.updated_at > customers.updated_at",
        (customer_id, email, updated_at),
    )
    return cursor.rowcount == 1


# --8<-- [end:upsert]


# --8<-- [start:client_key]
class ServerBusy(Exception):
    """429 or 5xx: the payment may or may not have been applied."""


def create_payment(
    client: httpx.Client, order_id: str, amount_cents: int, *, sleep: Callable[[float], None] = time.sleep
) -> Any:
    # Derived from the business operation, so every retry (even after a restart) sends the same key.
    key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"payment:{order_id}"))

    def attempt() -> Any:
        response = client.post(
            "/v1/payments",
            data={"amount": amount_cents, "order": order_id},
            headers={"Idempotency-Key": key},
        )
        if response.status_code == 429 or response.status_code >= 500:
            raise ServerBusy(f"HTTP {response.status_code}")
        response.raise_for_status()
        return response.json()

    retrying = Retrying(
        retry=retry_if_exception_type((httpx.TransportError, ServerBusy)),
        wait=wait_random_exponential(multiplier=0.5, max=10),
        stop=stop_after_attempt(4),
        sleep=sleep,
        reraise=True,
    )
    return retrying(attempt)


# --8<-- [end:client_key]
