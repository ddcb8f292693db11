"""A FastAPI endpoint for Stripe events that lands subscriptions in the warehouse.

The receiver, its signature check and its inbox are the webhook snippet's; this
guide adds the handler that applies events in any order, a sweeper that retries
failed events and parks poison ones, and a reconciliation pass over the Events
API that recovers events the endpoint never received.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

import duckdb
import httpx

from snippets.connectors.stripe import list_all
from snippets.webhooks.receivers import WebhookInbox

# --8<-- [start:apply]
SUBSCRIPTIONS_DDL = """
CREATE TABLE IF NOT EXISTS stripe_subscription (
    id            VARCHAR PRIMARY KEY,
    customer      VARCHAR NOT NULL,
    status        VARCHAR NOT NULL,
    deleted       BOOLEAN NOT NULL,
    event_created BIGINT NOT NULL,   -- `created` of the event that wrote this version
    event_id      VARCHAR NOT NULL
)
"""

MERGE_SUBSCRIPTION = """
MERGE INTO stripe_subscription AS t
USING (SELECT ? AS id, ? AS customer, ? AS status, ? AS deleted, ? AS event_created, ? AS event_id) AS s
ON t.id = s.id
WHEN MATCHED AND s.event_created >= t.event_created THEN UPDATE SET
    customer = s.customer, status = s.status, deleted = s.deleted,
    event_created = s.event_created, event_id = s.event_id
WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.customer, s.status, s.deleted, s.event_created, s.event_id)
"""


class PoisonEvent(ValueError):
    """The event cannot be applied however often it is retried."""


def subscription_handler(con: duckdb.DuckDBPyConnection) -> Callable[[dict[str, Any]], None]:
    """Apply ``customer.subscription.*`` events; an older event never overwrites a newer one."""
    con.execute(SUBSCRIPTIONS_DDL)

    def apply(event: dict[str, Any]) -> None:
        if not str(event.get("type", "")).startswith("customer.subscription."):
            return  # not ours: acknowledged and ignored
        obj = event.get("data", {}).get("object", {})
        if not isinstance(obj, dict) or not obj.get("id") or not obj.get("customer"):
            raise PoisonEvent(f"{event.get('id')}: subscription without id or customer")
        deleted = event["type"] == "customer.subscription.deleted"
        # A deletion stays as a tombstone, so a late, older update cannot bring the row back.
        con.execute(
            MERGE_SUBSCRIPTION,
            [
                obj["id"],
                obj["customer"],
                obj.get("status", "unknown"),
                deleted,
                int(event["created"]),
                event["id"],
            ],
        )

    return apply


# --8<-- [end:apply]


# --8<-- [start:sweep]
@dataclass
class SweepReport:
    processed: list[str] = field(default_factory=list)
    parked: list[str] = field(default_factory=list)  # for a person to read: poison or too many tries


def sweep(
    inbox: WebhookInbox, handler: Callable[[dict[str, Any]], None], *, max_attempts: int = 5
) -> SweepReport:
    """Retry failed or stuck events; park those that failed ``max_attempts`` times."""
    report = SweepReport()
    for event_id in inbox.pending():
        with closing(sqlite3.connect(inbox.path)) as conn:
            attempts, error = conn.execute(
                "SELECT attempts, coalesce(last_error, '') FROM webhook_inbox WHERE event_id = ?", (event_id,)
            ).fetchone()
        if attempts >= max_attempts or error.startswith("PoisonEvent"):
            with closing(sqlite3.connect(inbox.path)) as conn, conn:
                conn.execute("UPDATE webhook_inbox SET status = 'parked' WHERE event_id = ?", (event_id,))
            report.parked.append(event_id)
        elif inbox.process(event_id, handler):
            report.processed.append(event_id)
    return report


# --8<-- [end:sweep]


# --8<-- [start:reconcile]
def reconcile(
    client: httpx.Client,
    inbox: WebhookInbox,
    handler: Callable[[dict[str, Any]], None],
    *,
    since: int,
    **send_options: Any,
) -> list[str]:
    """Read the Events API since ``since`` and apply every event the endpoint never stored."""
    params = {"created[gte]": since, "type": "customer.subscription.*"}
    recovered = []
    events = list(list_all(client, "/v1/events", params, **send_options))
    for event in sorted(events, key=lambda e: e["created"]):  # listed newest first
        payload = json.dumps(event, separators=(",", ":")).encode()
        if inbox.save(event["id"], event["type"], payload):  # False: the webhook already brought it
            inbox.process(event["id"], handler)
            recovered.append(event["id"])
    return recovered


# --8<-- [end:reconcile]
