"""Schema of the broker capability comparison.

One record per broker; each has the same eight capabilities, and every
capability is a :class:`~macros.models.common.Fact` with its own source and
review date. The capabilities are fields rather than a free-form mapping, so a
missing or misspelt capability is a validation error.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from macros.models.common import Fact, StrictModel

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""Lower-case, hyphenated identifier usable as an HTML anchor."""

CAPABILITIES: dict[str, str] = {
    "ordering": "Ordering",
    "retention_replay": "Retention and replay",
    "max_message_size": "Maximum message size",
    "delivery": "Delivery guarantee",
    "dlq": "Dead-letter handling",
    "consumer_model": "Consumer model",
    "throughput_unit": "Unit of throughput",
    "pricing_unit": "Pricing unit",
}
"""Capability field names and their human labels, in display order."""


class BrokerFacts(StrictModel):
    """The eight compared capabilities of one broker.

    Attributes:
        ordering: What order consumers see messages in.
        retention_replay: How long messages are kept and how to read them again.
        max_message_size: Largest message accepted, by default and at most.
        delivery: Delivery guarantee (at most, at least or exactly once).
        dlq: How messages that keep failing are set aside.
        consumer_model: Pull, push, or both; how consumers share work.
        throughput_unit: What you scale to get more throughput.
        pricing_unit: What you pay per.
    """

    ordering: Fact
    retention_replay: Fact
    max_message_size: Fact
    delivery: Fact
    dlq: Fact
    consumer_model: Fact
    throughput_unit: Fact
    pricing_unit: Fact


class Broker(StrictModel):
    """One broker or event service.

    Attributes:
        id: Stable identifier; also the anchor of its column (``#broker-<id>``).
        name: Human name.
        kind: What sort of product it is, in a few words.
        page: Docs-relative page that covers it in depth (optional).
        facts: The compared capabilities.
    """

    id: Slug
    name: str
    kind: str
    page: str | None = None
    facts: BrokerFacts


class BrokerCatalog(StrictModel):
    """The whole ``brokers.yaml`` file.

    Attributes:
        brokers: The compared brokers, in display order.
    """

    brokers: Annotated[list[Broker], Field(min_length=2)]

    @field_validator("brokers")
    @classmethod
    def _unique_ids(cls, brokers: list[Broker]) -> list[Broker]:
        """Reject two brokers with the same id (their anchors would clash)."""
        seen: set[str] = set()
        for broker in brokers:
            if broker.id in seen:
                raise ValueError(f"duplicate broker id '{broker.id}'")
            seen.add(broker.id)
        return brokers

    def broker(self, broker_id: str) -> Broker:
        """Return the broker with this id.

        Args:
            broker_id: A broker id such as ``"kafka"``.

        Returns:
            The broker record.

        Raises:
            KeyError: No broker has that id.
        """
        for broker in self.brokers:
            if broker.id == broker_id:
                return broker
        raise KeyError(f"unknown broker '{broker_id}'")

    def csv_rows(self) -> list[dict[str, str]]:
        """Flatten to one CSV row per broker and capability.

        Returns:
            Rows with the broker, the capability, the value and its provenance.
        """
        rows = []
        for broker in self.brokers:
            for field, label in CAPABILITIES.items():
                fact: Fact = getattr(broker.facts, field)
                rows.append(
                    {
                        "broker_id": broker.id,
                        "broker": broker.name,
                        "capability_id": field,
                        "capability": label,
                        "value": str(fact.value),
                        "note": fact.note or "",
                        "confidence": fact.confidence or "",
                        "estimate": str(fact.estimate).lower(),
                        "reviewed": fact.reviewed.isoformat(),
                        "sources": "; ".join(f"{s.title} <{s.url}>" for s in fact.sources),
                    }
                )
        return rows
