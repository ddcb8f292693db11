"""Idempotent consumer on SQLite: many concurrent deliveries, one effect."""

from __future__ import annotations

import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import snippets.reliability.idempotency as idem


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "consumer.db")


def balance(path: str, account: str = "acc-1") -> int | None:
    row = (
        sqlite3.connect(path)
        .execute("SELECT balance FROM accounts WHERE account_id = ?", (account,))
        .fetchone()
    )
    return row[0] if row else None


def test_same_message_delivered_many_times_concurrently_has_one_effect(db: str) -> None:
    idem.connect(db).close()
    start = threading.Barrier(8)

    def deliver(_: int) -> int:
        conn = idem.connect(db)  # each consumer thread has its own connection
        start.wait()
        applied = sum(idem.handle_once(conn, "evt_123", idem.credit("acc-1", 100)) for _ in range(25))
        conn.close()
        return applied

    with ThreadPoolExecutor(max_workers=8) as pool:
        applied = list(pool.map(deliver, range(8)))
    assert sum(applied) == 1  # 200 deliveries, one credit
    assert balance(db) == 100


def test_distinct_messages_each_apply_once(db: str) -> None:
    idem.connect(db).close()

    def deliver(n: int) -> None:
        conn = idem.connect(db)
        for key in (f"evt_{n % 10}", f"evt_{n % 10}"):  # every message arrives twice
            idem.handle_once(conn, key, idem.credit("acc-1", 1))
        conn.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(deliver, range(40)))
    assert balance(db) == 10


def test_a_failed_effect_releases_the_key(db: str) -> None:
    conn = idem.connect(db)

    def broken(c: sqlite3.Connection) -> None:
        idem.credit("acc-1", 100)(c)
        raise ConnectionError("ledger unavailable")

    with pytest.raises(ConnectionError):
        idem.handle_once(conn, "evt_1", broken)
    assert balance(db) is None  # the partial credit rolled back with the key
    assert idem.handle_once(conn, "evt_1", idem.credit("acc-1", 100)) is True
    assert balance(db) == 100


def test_ttl_bounds_the_dedup_window(db: str) -> None:
    conn = idem.connect(db)
    now = [0.0]
    clock = lambda: now[0]  # noqa: E731
    assert idem.handle_once(conn, "evt_1", idem.credit("acc-1", 5), ttl_seconds=60, now=clock)
    now[0] = 59.0
    assert not idem.handle_once(conn, "evt_1", idem.credit("acc-1", 5), ttl_seconds=60, now=clock)
    now[0] = 60.0  # past the TTL the key is forgotten: a redelivery now applies again
    assert idem.handle_once(conn, "evt_1", idem.credit("acc-1", 5), ttl_seconds=60, now=clock)
    assert balance(db) == 10


def test_purge_expired_removes_only_old_keys(db: str) -> None:
    conn = idem.connect(db)
    idem.handle_once(conn, "old", idem.credit("a", 1), ttl_seconds=10, now=lambda: 0.0)
    idem.handle_once(conn, "new", idem.credit("a", 1), ttl_seconds=10, now=lambda: 5.0)
    assert idem.purge_expired(conn, now=12.0) == 1
    keys = conn.execute("SELECT idempotency_key FROM processed_messages").fetchall()
    assert keys == [("new",)]


def test_upsert_ignores_replays_and_stale_versions() -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript(idem.CUSTOMERS)
    assert idem.apply_customer(conn, "c1", "old@example.com", updated_at=100)
    assert idem.apply_customer(conn, "c1", "new@example.com", updated_at=200)
    assert not idem.apply_customer(conn, "c1", "new@example.com", updated_at=200)  # replay
    assert not idem.apply_customer(conn, "c1", "old@example.com", updated_at=100)  # late arrival
    assert conn.execute("SELECT email, updated_at FROM customers").fetchall() == [("new@example.com", 200)]


def test_client_retries_reuse_one_idempotency_key(httpserver: HTTPServer) -> None:
    applied: dict[str, dict[str, str]] = {}
    keys: list[str] = []
    calls = [0]

    def payments(request: Request) -> Response:
        key = request.headers["Idempotency-Key"]
        keys.append(key)
        calls[0] += 1
        if key not in applied:
            applied[key] = {"id": f"pay_{len(applied) + 1}", "order": request.form["order"]}
        if calls[0] == 1:
            return Response("upstream timeout", status=503)  # applied, but the reply was lost
        return Response(json.dumps(applied[key]), content_type="application/json")

    httpserver.expect_request("/v1/payments", method="POST").respond_with_handler(payments)
    sleeps: list[float] = []
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        result = idem.create_payment(client, "ord-42", 1999, sleep=sleeps.append)
        again = idem.create_payment(client, "ord-42", 1999, sleep=sleeps.append)
    assert result == again == {"id": "pay_1", "order": "ord-42"}
    assert len(set(keys)) == 1 and len(keys) == 3
    assert len(applied) == 1  # one payment, whatever the number of attempts
    assert len(sleeps) == 1


def test_client_gives_up_after_four_attempts(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/payments", method="POST").respond_with_data("busy", status=429)
    with httpx.Client(base_url=httpserver.url_for("/")) as client, pytest.raises(idem.ServerBusy):
        idem.create_payment(client, "ord-7", 500, sleep=lambda s: None)
    assert len(httpserver.log) == 4


def test_client_does_not_retry_a_rejected_payment(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/payments", method="POST").respond_with_data("declined", status=402)
    with httpx.Client(base_url=httpserver.url_for("/")) as client, pytest.raises(httpx.HTTPStatusError):
        idem.create_payment(client, "ord-8", 500, sleep=lambda s: None)
    assert len(httpserver.log) == 1
