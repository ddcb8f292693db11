"""Kafka client settings (validated by librdkafka itself) and the idempotent consumer loop."""

from __future__ import annotations

import json
import sqlite3
from collections import deque
from typing import Any

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer

from snippets.events.kafka import (
    AT_LEAST_ONCE_CONSUMER,
    DURABLE_PRODUCER,
    at_least_once_consumer,
    consume,
    durable_producer,
    event_id,
    transactional_producer,
)

# Nothing listens here: building a client validates settings without a broker.
NO_BROKER = "127.0.0.1:9"
QUIET = {"log_level": 0}


def test_durable_producer_settings_are_accepted() -> None:
    producer = durable_producer(NO_BROKER, **QUIET)
    assert isinstance(producer, Producer)
    assert producer.flush(0) == 0


def test_transactional_producer_settings_are_accepted() -> None:
    producer = transactional_producer(NO_BROKER, "orders-service-0")
    assert isinstance(producer, Producer)
    producer.flush(0)


def test_delivery_timeout_longer_than_transaction_timeout_is_rejected() -> None:
    with pytest.raises(KafkaException, match="transaction.timeout.ms"):
        Producer({"bootstrap.servers": NO_BROKER, **DURABLE_PRODUCER, "transactional.id": "t-1"})


def test_unset_delivery_timeout_follows_the_transaction_timeout() -> None:
    # librdkafka lowers its 300,000 ms default to transaction.timeout.ms when a
    # transactional.id is set, so leaving it out is accepted.
    settings = {k: v for k, v in DURABLE_PRODUCER.items() if k != "delivery.timeout.ms"}
    transactional = {"transactional.id": "t-2", "transaction.timeout.ms": 60_000}
    producer = Producer({"bootstrap.servers": NO_BROKER, **settings, **transactional})
    assert isinstance(producer, Producer)
    producer.flush(0)


@pytest.mark.parametrize(
    ("unsafe", "complaint"),
    [
        ({"acks": "1"}, "acks"),  # idempotence needs acknowledgement from all in-sync replicas
        ({"max.in.flight.requests.per.connection": 6}, "max.in.flight"),
        ({"retries": 0}, "retries"),
    ],
)
def test_unsafe_producer_combinations_are_rejected(unsafe: dict[str, Any], complaint: str) -> None:
    with pytest.raises(KafkaException) as failure:
        durable_producer(NO_BROKER, **unsafe)
    assert complaint in str(failure.value)


def test_misspelt_property_is_rejected() -> None:
    with pytest.raises(KafkaException, match="No such configuration property"):
        Producer({"bootstrap.servers": NO_BROKER, "enable.idempotency": True})


def test_consumer_settings_are_accepted() -> None:
    consumer = at_least_once_consumer(NO_BROKER, "billing", **QUIET)
    assert isinstance(consumer, Consumer)
    consumer.close()


def test_consumer_rejects_poll_interval_shorter_than_session() -> None:
    with pytest.raises(KafkaException, match="max.poll.interval.ms"):
        at_least_once_consumer(NO_BROKER, "billing", **{"session.timeout.ms": 400_000})


def test_settings_say_what_the_page_says() -> None:
    assert DURABLE_PRODUCER["acks"] == "all" and DURABLE_PRODUCER["enable.idempotence"] is True
    assert AT_LEAST_ONCE_CONSUMER["enable.auto.commit"] is False


# --- the consumer loop, fed by an in-memory source --------------------------------


class FakeError:
    def __init__(self, code: int) -> None:
        self._code = code

    def code(self) -> int:
        return self._code


class FakeMessage:
    """Implements the ``confluent_kafka.Message`` methods the loop calls."""

    def __init__(self, offset: int, value: dict | None, event: str | None = None, error: int | None = None):
        self._offset, self._event, self._error = offset, event, error
        self._value = json.dumps(value).encode() if value is not None else None

    def topic(self) -> str:
        return "payments"

    def partition(self) -> int:
        return 0

    def offset(self) -> int:
        return self._offset

    def value(self) -> bytes | None:
        return self._value

    def headers(self) -> list[tuple[str, bytes]] | None:
        return [("event-id", self._event.encode())] if self._event else None

    def error(self) -> FakeError | None:
        return FakeError(self._error) if self._error is not None else None


class InMemorySource:
    def __init__(self, messages: list[FakeMessage | None]) -> None:
        self.pending = deque(messages)
        self.committed: list[int] = []

    def poll(self, timeout: float) -> FakeMessage | None:
        return self.pending.popleft() if self.pending else None

    def commit(self, message: FakeMessage, asynchronous: bool) -> None:
        assert asynchronous is False
        self.committed.append(message.offset())


def credit(db: sqlite3.Connection, payment: dict) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS balances (account TEXT PRIMARY KEY, amount INTEGER)")
    db.execute(
        "INSERT INTO balances VALUES (?, ?)"
        " ON CONFLICT (account) DO UPDATE SET amount = amount + excluded.amount",
        [payment["account"], payment["amount"]],
    )


def balance(db: sqlite3.Connection, account: str) -> int:
    return db.execute("SELECT amount FROM balances WHERE account = ?", [account]).fetchone()[0]


def test_duplicates_are_applied_once_and_every_offset_is_committed() -> None:
    db = sqlite3.connect(":memory:")
    source = InMemorySource(
        [
            FakeMessage(0, {"account": "A", "amount": 10}, "pay-1"),
            None,  # an empty poll
            FakeMessage(1, {"account": "A", "amount": 10}, "pay-1"),  # producer retried: same event id
            FakeMessage(2, {"account": "A", "amount": 5}, "pay-2"),
            FakeMessage(3, None, error=KafkaError._PARTITION_EOF),
        ]
    )
    counts = consume(source, db, credit, max_messages=10)
    assert counts == {"processed": 2, "duplicates": 1}
    assert balance(db, "A") == 15
    assert source.committed == [0, 1, 2]


def test_crash_after_effect_before_offset_commit_is_harmless() -> None:
    db = sqlite3.connect(":memory:")
    first = InMemorySource([FakeMessage(0, {"account": "B", "amount": 7}, "pay-9")])

    def crash(message: FakeMessage, asynchronous: bool) -> None:
        raise KafkaException(KafkaError(KafkaError._TRANSPORT))

    first.commit = crash  # type: ignore[method-assign]
    with pytest.raises(KafkaException):
        consume(first, db, credit, max_messages=1)
    # After a restart the broker redelivers from the last committed offset.
    again = InMemorySource([FakeMessage(0, {"account": "B", "amount": 7}, "pay-9")])
    assert consume(again, db, credit, max_messages=1) == {"processed": 0, "duplicates": 1}
    assert balance(db, "B") == 7 and again.committed == [0]


def test_failed_handler_rolls_back_and_does_not_commit() -> None:
    db = sqlite3.connect(":memory:")
    source = InMemorySource([FakeMessage(0, {"account": "C"}, "pay-bad")])
    with pytest.raises(KeyError):
        consume(source, db, credit, max_messages=1)
    assert source.committed == []
    assert db.execute("SELECT count(*) FROM processed_events").fetchone() == (0,)


def test_broker_errors_stop_the_loop() -> None:
    source = InMemorySource([FakeMessage(0, None, error=KafkaError._ALL_BROKERS_DOWN)])
    with pytest.raises(KafkaException):
        consume(source, sqlite3.connect(":memory:"), credit, max_messages=1)


def test_event_id_falls_back_to_coordinates() -> None:
    assert event_id(FakeMessage(42, {})) == "payments/0/42"  # type: ignore[arg-type]
    assert event_id(FakeMessage(42, {}, "evt-7")) == "evt-7"  # type: ignore[arg-type]
