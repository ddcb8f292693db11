"""Outbox on a real SQLite file; the relay crashes between publish and mark."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

import snippets.reliability.transactional_outbox as ob


class Crash(BaseException):
    """The relay process dies: nothing in the relay catches this."""


class Broker:
    """Records what was published, in order, like a topic would."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def publish(self, message: dict[str, Any]) -> None:
        self.messages.append(message)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "orders.db")


def test_order_and_event_commit_together(db: str) -> None:
    conn = ob.connect(db)
    event_id = ob.place_order(conn, "o-1", "c-9", 2500)
    broker = Broker()
    assert ob.relay_once(conn, broker.publish) == 1
    assert broker.messages == [
        {
            "event_id": event_id,
            "key": "o-1",
            "topic": "order.events",
            "type": "order.placed",
            "payload": {"order_id": "o-1", "customer_id": "c-9", "total_cents": 2500},
        }
    ]
    assert ob.relay_once(conn, broker.publish) == 0  # nothing is sent twice in normal running


def test_a_failed_business_write_leaves_no_event(db: str) -> None:
    conn = ob.connect(db)
    ob.place_order(conn, "o-1", "c-9", 2500)
    with pytest.raises(sqlite3.IntegrityError):
        ob.place_order(conn, "o-2", "c-9", -5)  # violates the CHECK constraint
    with pytest.raises(sqlite3.IntegrityError):
        ob.place_order(conn, "o-1", "c-9", 100)  # duplicate order id
    assert conn.execute("SELECT count(*) FROM outbox").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM orders").fetchone() == (1,)


def test_relay_crash_between_publish_and_mark_loses_nothing(db: str) -> None:
    conn = ob.connect(db)
    event_ids = [ob.place_order(conn, f"o-{n}", "c-1", n * 100) for n in range(1, 6)]
    broker = Broker()

    def publish_then_crash_on_third(message: dict[str, Any]) -> None:
        broker.publish(message)  # the broker has it...
        if len(broker.messages) == 3:
            raise Crash  # ...but the relay dies before marking it published

    with pytest.raises(Crash):
        ob.relay_once(conn, publish_then_crash_on_third)
    conn.close()

    conn = ob.connect(db)  # relay restarts
    while ob.relay_once(conn, broker.publish, batch_size=2):
        pass

    published = [m["event_id"] for m in broker.messages]
    assert set(published) == set(event_ids)  # no loss
    assert published.count(event_ids[2]) == 2  # the one in flight was sent twice
    assert len(published) == 6
    # Order is kept per key and overall: first occurrences follow the outbox order.
    assert list(dict.fromkeys(published)) == event_ids
    unpublished = conn.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL").fetchone()
    assert unpublished == (0,)

    # A consumer that dedupes on event_id applies every order exactly once.
    applied: dict[str, int] = {}
    for message in broker.messages:
        applied.setdefault(message["event_id"], message["payload"]["total_cents"])
    assert sum(applied.values()) == 100 + 200 + 300 + 400 + 500


def test_broker_failure_leaves_the_event_for_the_next_run(db: str) -> None:
    conn = ob.connect(db)
    ob.place_order(conn, "o-1", "c-1", 100)

    def broker_down(message: dict[str, Any]) -> None:
        raise ConnectionError("broker unreachable")

    with pytest.raises(ConnectionError):
        ob.relay_once(conn, broker_down)
    broker = Broker()
    assert ob.relay_once(conn, broker.publish) == 1
    assert [m["key"] for m in broker.messages] == ["o-1"]


def test_purge_removes_only_old_published_events(db: str) -> None:
    conn = ob.connect(db)
    for n in range(3):
        ob.place_order(conn, f"o-{n}", "c-1", 100)
    times = iter([10.0, 20.0])
    ob.relay_once(conn, Broker().publish, batch_size=2, now=lambda: next(times))
    assert ob.purge_published(conn, older_than=15.0) == 1
    remaining = conn.execute("SELECT aggregate_id, published_at FROM outbox ORDER BY position").fetchall()
    assert remaining == [("o-1", 20.0), ("o-2", None)]
