"""Shopify orders into the warehouse: webhooks for freshness, a nightly reconciliation, a bulk backfill.

Signature checks and cost-aware GraphQL paging are the Shopify connector
snippet's; the inbox is the webhook snippet's. This guide adds one MERGE that
every path goes through, so webhooks, reconciliation and backfill can overlap
and arrive in any order.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import Any

import duckdb
import httpx
from fastapi import BackgroundTasks, FastAPI, HTTPException, Request

from snippets.connectors.rate_limits import send
from snippets.connectors.shopify import paginate, verify_webhook
from snippets.webhooks.receivers import WebhookInbox

# --8<-- [start:merge]
ORDERS_DDL = """
CREATE TABLE IF NOT EXISTS shopify_order (
    id               VARCHAR PRIMARY KEY,   -- the GraphQL global id
    financial_status VARCHAR,
    total            DECIMAL(18, 2),
    updated_at       TIMESTAMPTZ NOT NULL,
    source           VARCHAR NOT NULL       -- webhook, reconcile or backfill
)
"""

MERGE_ORDER = """
MERGE INTO shopify_order AS t
USING (SELECT ? AS id, ? AS financial_status, CAST(? AS DECIMAL(18, 2)) AS total,
              CAST(? AS TIMESTAMPTZ) AS updated_at, ? AS source) AS s
ON t.id = s.id
WHEN MATCHED AND s.updated_at > t.updated_at THEN UPDATE SET
    financial_status = s.financial_status, total = s.total, updated_at = s.updated_at, source = s.source
WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.financial_status, s.total, s.updated_at, s.source)
"""


def from_webhook(order: dict[str, Any]) -> tuple[str, str, str, str]:
    """A REST-shaped webhook order as (id, status, total, updated_at)."""
    return (
        order["admin_graphql_api_id"],
        order["financial_status"].upper(),
        order["total_price"],
        order["updated_at"],
    )


def from_graphql(node: dict[str, Any]) -> tuple[str, str, str, str]:
    """A GraphQL order node (paged or bulk) as (id, status, total, updated_at)."""
    return (
        node["id"],
        node["displayFinancialStatus"],
        node["totalPriceSet"]["shopMoney"]["amount"],
        node["updatedAt"],
    )


def apply_orders(
    con: duckdb.DuckDBPyConnection, rows: Iterable[tuple[str, str, str, str]], source: str
) -> int:
    """MERGE orders; a version older than the stored one changes nothing."""
    con.execute(ORDERS_DDL)
    count = 0
    for row in rows:
        con.execute(MERGE_ORDER, [*row, source])
        count += 1
    return count


# --8<-- [end:merge]


# --8<-- [start:webhook]
def create_app(inbox: WebhookInbox, con: duckdb.DuckDBPyConnection, client_secret: str) -> FastAPI:
    app = FastAPI()

    def handle(payload: dict[str, Any]) -> None:
        apply_orders(con, [from_webhook(payload)], "webhook")

    @app.post("/webhooks/shopify/orders")
    async def orders(request: Request, background: BackgroundTasks) -> dict[str, bool]:
        raw = await request.body()  # the exact bytes Shopify signed
        if not verify_webhook(client_secret, raw, request.headers.get("x-shopify-hmac-sha256")):
            raise HTTPException(status_code=401, detail="bad signature")
        webhook_id = request.headers.get("x-shopify-webhook-id")
        topic = request.headers.get("x-shopify-topic", "")
        if not webhook_id or not topic.startswith("orders/"):
            raise HTTPException(status_code=400, detail="not an order webhook")
        if inbox.save(webhook_id, topic, raw):  # False: a repeated delivery
            background.add_task(inbox.process, webhook_id, handle)
        return {"received": True}

    return app


# --8<-- [end:webhook]

# --8<-- [start:reconcile]
ORDERS_UPDATED_SINCE = """
query Orders($after: String, $search: String!) {
  orders(first: 100, after: $after, query: $search, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id updatedAt displayFinancialStatus totalPriceSet { shopMoney { amount } } }
  }
}
"""


def reconcile(client: httpx.Client, con: duckdb.DuckDBPyConnection, since_iso: str, **options: Any) -> int:
    """Nightly: re-read orders updated since the last run; the MERGE skips what webhooks brought."""
    nodes = paginate(
        client, ORDERS_UPDATED_SINCE, "orders", variables={"search": f"updated_at:>'{since_iso}'"}, **options
    )
    return apply_orders(con, (from_graphql(n) for n in nodes), "reconcile")


# --8<-- [end:reconcile]

# --8<-- [start:backfill]
BULK_ORDERS = (
    "{ orders { edges { node { id updatedAt displayFinancialStatus"
    " totalPriceSet { shopMoney { amount } } } } } }"
)
RUN_BULK = """
mutation Run($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message } }
}
"""
POLL_BULK = "query { currentBulkOperation { id status errorCode objectCount url } }"


class BulkOperationFailed(Exception):
    """Shopify reported the bulk operation failed, or it never finished in time."""


def backfill(
    client: httpx.Client,
    con: duckdb.DuckDBPyConnection,
    *,
    version: str = "2026-01",
    poll_seconds: float = 10.0,
    max_polls: int = 360,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Start a bulk query of all orders, wait for it, then MERGE its JSONL result."""
    path = f"/admin/api/{version}/graphql.json"

    def graphql(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        request = client.build_request("POST", path, json={"query": query, "variables": variables or {}})
        return send(client, request, sleep=sleep).json()["data"]

    started = graphql(RUN_BULK, {"query": BULK_ORDERS})["bulkOperationRunQuery"]
    if started["userErrors"]:
        raise BulkOperationFailed(started["userErrors"][0]["message"])
    for _ in range(max_polls):
        status = graphql(POLL_BULK)["currentBulkOperation"]
        if status["status"] == "COMPLETED":
            break
        if status["status"] in ("FAILED", "CANCELED", "EXPIRED"):
            raise BulkOperationFailed(f"{status['status']}: {status.get('errorCode')}")
        sleep(poll_seconds)
    else:
        raise BulkOperationFailed("still running after the last poll")
    if not status["url"]:  # no orders at all: Shopify gives no file
        return 0
    lines = httpx.get(status["url"], timeout=60).text.splitlines()
    return apply_orders(con, (from_graphql(json.loads(line)) for line in lines if line.strip()), "backfill")


# --8<-- [end:backfill]
