"""Kafka clients configured for durability, and an idempotent consumer loop.

confluent-kafka (librdkafka) checks its settings when a client is built, so a
misspelt property or a contradictory combination fails at start-up, before
any message is at risk.
"""

# --8<-- [start:producer]
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any, Protocol

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer

DURABLE_PRODUCER: dict[str, Any] = {
    "acks": "all",  # the leader waits for every in-sync replica
    "enable.idempotence": True,  # retries cannot duplicate or reorder within a partition
    "max.in.flight.requests.per.connection": 5,  # the most idempotence allows
    "delivery.timeout.ms": 120_000,  # total time to deliver, retries included; then report failure
    "linger.ms": 5,  # wait briefly to fill batches
    "compression.type": "zstd",
}


def durable_producer(bootstrap_servers: str, **overrides: Any) -> Producer:
    return Producer({"bootstrap.servers": bootstrap_servers, **DURABLE_PRODUCER, **overrides})


# --8<-- [end:producer]


# --8<-- [start:transactional]
def transactional_producer(bootstrap_servers: str, transactional_id: str) -> Producer:
    # A stable id per logical producer lets the broker fence a zombie instance
    # that restarts with the same id. Idempotence is switched on implicitly.
    return Producer(
        {
            "bootstrap.servers": bootstrap_servers,
            **DURABLE_PRODUCER,
            "transactional.id": transactional_id,
            "transaction.timeout.ms": 60_000,
            # librdkafka refuses a delivery timeout longer than the transaction timeout.
            "delivery.timeout.ms": 60_000,
        }
    )


# --8<-- [end:transactional]


# --8<-- [start:consumer]
AT_LEAST_ONCE_CONSUMER: dict[str, Any] = {
    "enable.auto.commit": False,  # commit only after the effect is stored
    "auto.offset.reset": "earliest",  # a new group starts from the oldest retained message
    "isolation.level": "read_committed",  # skip messages of aborted transactions
    "partition.assignment.strategy": "cooperative-sticky",  # a rebalance moves only what must move
    "max.poll.interval.ms": 300_000,  # longest gap between polls before the group evicts this member
    "session.timeout.ms": 45_000,
}


def at_least_once_consumer(bootstrap_servers: str, group_id: str, **overrides: Any) -> Consumer:
    return Consumer(
        {"bootstrap.servers": bootstrap_servers, "group.id": group_id, **AT_LEAST_ONCE_CONSUMER, **overrides}
    )


# --8<-- [end:consumer]


# --8<-- [start:loop]
class Source(Protocol):
    """The part of ``confluent_kafka.Consumer`` the loop uses."""

    def poll(self, timeout: float) -> Message | None: ...
    def commit(self, message: Message, asynchronous: bool) -> Any: ...


Handler = Callable[[sqlite3.Connection, dict[str, Any]], None]


def event_id(message: Message) -> str:
    """The producer's event id header, or the message's own coordinates as a fallback."""
    for name, value in message.headers() or []:
        if name == "event-id" and value is not None:
            return value.decode()
    return f"{message.topic()}/{message.partition()}/{message.offset()}"


def consume(source: Source, db: sqlite3.Connection, handle: Handler, *, max_messages: int) -> dict[str, int]:
    """Process messages at least once, with effects applied exactly once.

    The effect and the record of the event id commit in one database
    transaction; the Kafka offset is committed after that. A crash in between
    redelivers the message, which the id check then skips.
    """
    counts = {"processed": 0, "duplicates": 0}
    db.execute("CREATE TABLE IF NOT EXISTS processed_events (event_id TEXT PRIMARY KEY)")
    for _ in range(max_messages):
        message = source.poll(1.0)
        if message is None:
            continue
        if message.error() is not None:
            if message.error().code() == KafkaError._PARTITION_EOF:
                continue
            raise KafkaException(message.error())
        with db:  # one transaction: dedup record + effect, or neither
            seen = (
                db.execute(
                    "INSERT INTO processed_events VALUES (?) ON CONFLICT DO NOTHING", [event_id(message)]
                ).rowcount
                == 0
            )
            if not seen:
                handle(db, json.loads(message.value()))
        counts["duplicates" if seen else "processed"] += 1
        source.commit(message=message, asynchronous=False)
    return counts


# --8<-- [end:loop]
