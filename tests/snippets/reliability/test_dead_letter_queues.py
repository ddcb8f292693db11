"""Dead-letter queue on a real SQLite file: no loss on failure, idempotent replay."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

import snippets.reliability.dead_letter_queues as dlq


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing catches it."""


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "queue.db")


def drain(conn: sqlite3.Connection, handler: Any, clock: Clock, **kw: Any) -> list[str]:
    """Run the consumer until nothing is due, letting time pass for retries."""
    outcomes = []
    for _ in range(100):
        outcome = dlq.consume_one(conn, handler, now=clock, **kw)
        if outcome is None:
            next_due = conn.execute("SELECT min(not_before) FROM queue").fetchone()[0]
            if next_due is None:
                break
            clock.now = next_due
            continue
        outcomes.append(outcome)
    return outcomes


def test_success_removes_the_message(db: str) -> None:
    conn, clock, seen = dlq.connect(db), Clock(), []
    dlq.enqueue(conn, "m1", {"order": 1}, clock.now)
    assert drain(conn, seen.append, clock) == ["done"]
    assert seen == [{"order": 1}]
    assert conn.execute("SELECT count(*) FROM queue").fetchone() == (0,)


def test_poison_message_is_dead_lettered_with_its_history(db: str) -> None:
    conn, clock = dlq.connect(db), Clock()
    dlq.enqueue(conn, "m1", {"order": 1}, clock.now)
    dlq.enqueue(conn, "m2", {"order": 2}, clock.now)
    processed = []

    def handler(message: dict[str, Any]) -> None:
        if message["order"] == 1:
            raise ValueError("unknown currency 'XXX'")
        processed.append(message)

    outcomes = drain(conn, handler, clock, max_attempts=3)
    assert outcomes.count("dead-lettered") == 1
    assert outcomes.count("retry-scheduled") == 2
    assert processed == [{"order": 2}]  # the poison message did not block the next one
    row = conn.execute(
        "SELECT message_id, payload, error_type, error, attempts, first_failed_at, last_failed_at"
        " FROM dead_letters"
    ).fetchone()
    assert row[:5] == ("m1", '{"order": 1}', "ValueError", "unknown currency 'XXX'", 3)
    assert row[5] == 1_000.0
    assert row[6] == 1_000.0 + 2.0 + 4.0  # waited 2 s, then 4 s between attempts
    summary = dlq.dead_letter_summary(conn, now=1_100.0)
    assert summary == {"waiting": 1, "oldest_age_seconds": 94.0, "by_error": {"ValueError": 1}}


def test_crash_after_processing_but_before_delete_redelivers(db: str) -> None:
    conn, clock = dlq.connect(db), Clock()
    dlq.enqueue(conn, "m1", {"order": 1}, clock.now)
    effects = []

    def handler_then_crash(message: dict[str, Any]) -> None:
        effects.append(message)
        raise Crash

    with pytest.raises(Crash):
        dlq.consume_one(conn, handler_then_crash, now=clock)
    conn.close()
    conn = dlq.connect(db)  # the process restarts
    assert drain(conn, effects.append, clock) == ["done"]
    assert effects == [{"order": 1}, {"order": 1}]  # at least once: handlers must be idempotent


def test_failure_while_dead_lettering_keeps_the_message(db: str) -> None:
    conn, clock = dlq.connect(db), Clock()
    dlq.enqueue(conn, "m1", {"order": 1}, clock.now)
    conn.execute(  # the dead-letter insert fails (think: disk full)
        "CREATE TRIGGER refuse BEFORE INSERT ON dead_letters BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )

    def failing(message: dict[str, Any]) -> None:
        raise RuntimeError("boom")

    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        dlq.consume_one(conn, failing, max_attempts=1, now=clock)
    assert conn.execute("SELECT message_id FROM queue").fetchall() == [("m1",)]
    assert conn.execute("SELECT count(*) FROM dead_letters").fetchone() == (0,)


def test_replay_is_idempotent_and_reprocesses_once(db: str) -> None:
    conn, clock = dlq.connect(db), Clock()
    for n in (1, 2):
        dlq.enqueue(conn, f"m{n}", {"order": n}, clock.now)
    broken = True
    processed = []

    def handler(message: dict[str, Any]) -> None:
        if broken:
            raise ConnectionError("ERP down")
        processed.append(message["order"])

    drain(conn, handler, clock, max_attempts=2)
    assert dlq.dead_letter_summary(conn, clock.now)["waiting"] == 2

    broken = False  # the ERP is back
    assert dlq.replay(conn, ["m1"], now=clock.now) == 1
    assert dlq.replay(conn, ["m1"], now=clock.now) == 0
    assert dlq.replay(conn, now=clock.now) == 1  # only m2 is left
    assert dlq.replay(conn, now=clock.now) == 0
    drain(conn, handler, clock)
    assert sorted(processed) == [1, 2]
    assert dlq.dead_letter_summary(conn, clock.now) == {
        "waiting": 0,
        "oldest_age_seconds": 0.0,
        "by_error": {},
    }


def test_a_replayed_message_that_fails_again_returns_to_the_dead_letters(db: str) -> None:
    conn, clock = dlq.connect(db), Clock()
    dlq.enqueue(conn, "m1", {"order": 1}, clock.now)

    def failing(message: dict[str, Any]) -> None:
        raise KeyError("customer")

    drain(conn, failing, clock, max_attempts=1)
    dlq.replay(conn, now=clock.now)
    drain(conn, failing, clock, max_attempts=1)
    row = conn.execute("SELECT attempts, replayed_at, error_type FROM dead_letters").fetchone()
    assert row == (2, None, "KeyError")  # attempts add up across replays
