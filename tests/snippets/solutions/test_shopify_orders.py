"""Shopify orders -> webhooks, nightly reconciliation and bulk backfill -> one MERGE in DuckDB.

Webhooks are signed with Shopify's scheme and posted through FastAPI's
TestClient; a local HTTP server answers the GraphQL Admin API (pages, a
THROTTLED error with its cost extension, a bulk operation and its JSONL file).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.solutions.shopify_orders import BulkOperationFailed, backfill, create_app, reconcile
from snippets.webhooks.receivers import WebhookInbox

SECRET = "shpss_guide"
GQL = "/admin/api/2026-01/graphql.json"


def webhook_order(n: int, status: str, updated: str, total: str = "10.00") -> dict[str, Any]:
    return {
        "id": n,
        "admin_graphql_api_id": f"gid://shopify/Order/{n}",
        "financial_status": status,
        "total_price": total,
        "updated_at": updated,
    }


def node(n: int, status: str, updated: str, total: str = "10.0") -> dict[str, Any]:
    return {
        "id": f"gid://shopify/Order/{n}",
        "updatedAt": updated,
        "displayFinancialStatus": status,
        "totalPriceSet": {"shopMoney": {"amount": total}},
    }


def deliver(client: TestClient, order: dict[str, Any], webhook_id: str, secret: str = SECRET) -> int:
    raw = json.dumps(order).encode()
    signature = base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()
    headers = {
        "X-Shopify-Hmac-Sha256": signature,
        "X-Shopify-Webhook-Id": webhook_id,
        "X-Shopify-Topic": "orders/updated",
        "Content-Type": "application/json",
    }
    return client.post("/webhooks/shopify/orders", content=raw, headers=headers).status_code


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture
def app(tmp_path: Path, con) -> TestClient:
    return TestClient(create_app(WebhookInbox(str(tmp_path / "inbox.db")), con, SECRET))


def orders(con) -> list[tuple]:
    return con.execute(
        "SELECT id, financial_status, CAST(total AS VARCHAR), source FROM shopify_order ORDER BY id"
    ).fetchall()


def test_webhooks_dedupe_and_ignore_older_versions(app, con) -> None:
    assert deliver(app, webhook_order(1, "paid", "2026-11-30T10:05:00-05:00"), "w-2") == 200
    assert deliver(app, webhook_order(1, "pending", "2026-11-30T10:00:00-05:00"), "w-1") == 200  # late
    assert deliver(app, webhook_order(1, "paid", "2026-11-30T10:05:00-05:00"), "w-2") == 200  # repeated
    assert orders(con) == [("gid://shopify/Order/1", "PAID", "10.00", "webhook")]


def test_forged_and_malformed_webhooks_are_refused(app, con) -> None:
    assert deliver(app, webhook_order(2, "paid", "2026-11-30T10:00:00Z"), "w-9", secret="wrong") == 401
    raw = b"{}"
    signature = base64.b64encode(hmac.new(SECRET.encode(), raw, hashlib.sha256).digest()).decode()
    headers = {"X-Shopify-Hmac-Sha256": signature, "X-Shopify-Topic": "products/update"}
    assert app.post("/webhooks/shopify/orders", content=raw, headers=headers).status_code == 400
    assert con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'shopify_order'"
    ).fetchone() == (0,)


def test_nightly_reconciliation_fills_gaps_through_a_throttle(httpserver: HTTPServer, app, con) -> None:
    assert deliver(app, webhook_order(1, "paid", "2026-11-30T10:05:00Z"), "w-1") == 200
    throttled = {
        "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
        "extensions": {
            "cost": {
                "requestedQueryCost": 202,
                "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 2, "restoreRate": 100.0},
            }
        },
    }
    cost = {
        "cost": {
            "requestedQueryCost": 202,
            "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 1798, "restoreRate": 100.0},
        }
    }
    page1 = {
        "data": {
            "orders": {
                "pageInfo": {"hasNextPage": True, "endCursor": "c1"},
                "nodes": [
                    node(1, "PENDING", "2026-11-30T10:00:00Z"),  # older than the webhook's version
                    node(2, "PAID", "2026-11-30T11:00:00Z", "25.5"),  # the webhook for this one never came
                ],
            }
        },
        "extensions": cost,
    }
    page2 = {
        "data": {
            "orders": {
                "pageInfo": {"hasNextPage": False, "endCursor": "c2"},
                "nodes": [node(3, "REFUNDED", "2026-11-30T12:00:00Z")],
            }
        },
        "extensions": cost,
    }
    for body in (throttled, page1, page2):
        httpserver.expect_ordered_request(GQL, method="POST").respond_with_json(body)
    waits: list[float] = []
    with httpx.Client(base_url=httpserver.url_for("/")) as api:
        assert reconcile(api, con, "2026-11-29T00:00:00Z", sleep=waits.append) == 3
    assert waits[0] == pytest.approx(2.0)  # (202 - 2) points / 100 per second
    assert orders(con) == [
        ("gid://shopify/Order/1", "PAID", "10.00", "webhook"),
        ("gid://shopify/Order/2", "PAID", "25.50", "reconcile"),
        ("gid://shopify/Order/3", "REFUNDED", "10.00", "reconcile"),
    ]
    second = json.loads(httpserver.log[2][0].data)
    assert second["variables"] == {"search": "updated_at:>'2026-11-29T00:00:00Z'", "after": "c1"}


def test_bulk_backfill_polls_until_complete_then_merges_the_jsonl(httpserver: HTTPServer, con) -> None:
    apply_first = [("gid://shopify/Order/5", "PAID", "1.00", "2026-11-30T09:00:00Z")]
    from snippets.solutions.shopify_orders import apply_orders

    apply_orders(con, apply_first, "webhook")  # newer than what the backfill file holds
    lines = "\n".join(
        json.dumps(n)
        for n in [node(4, "PAID", "2026-01-01T00:00:00Z", "9.99"), node(5, "PENDING", "2026-01-02T00:00:00Z")]
    )
    httpserver.expect_request("/bulk/result.jsonl").respond_with_data(lines + "\n")
    replies = iter(
        [
            {
                "data": {
                    "bulkOperationRunQuery": {
                        "bulkOperation": {"id": "gid://shopify/BulkOperation/1", "status": "CREATED"},
                        "userErrors": [],
                    }
                }
            },
            {
                "data": {
                    "currentBulkOperation": {
                        "id": "1",
                        "status": "RUNNING",
                        "errorCode": None,
                        "objectCount": "1",
                        "url": None,
                    }
                }
            },
            {
                "data": {
                    "currentBulkOperation": {
                        "id": "1",
                        "status": "COMPLETED",
                        "errorCode": None,
                        "objectCount": "2",
                        "url": httpserver.url_for("/bulk/result.jsonl"),
                    }
                }
            },
        ]
    )

    def graphql(request: Request) -> Response:
        return Response(json.dumps(next(replies)), content_type="application/json")

    httpserver.expect_request(GQL, method="POST").respond_with_handler(graphql)
    polls: list[float] = []
    with httpx.Client(base_url=httpserver.url_for("/")) as api:
        assert backfill(api, con, poll_seconds=5, sleep=polls.append) == 2
    assert polls == [5]
    assert orders(con) == [
        ("gid://shopify/Order/4", "PAID", "9.99", "backfill"),
        ("gid://shopify/Order/5", "PAID", "1.00", "webhook"),  # the newer webhook version stays
    ]


@pytest.mark.parametrize(
    ("poll", "message"),
    [
        (
            {"status": "FAILED", "errorCode": "INTERNAL_SERVER_ERROR", "url": None},
            "FAILED: INTERNAL_SERVER_ERROR",
        ),
        ({"status": "RUNNING", "errorCode": None, "url": None}, "still running"),
    ],
)
def test_bulk_backfill_failures_are_reported(httpserver: HTTPServer, con, poll, message) -> None:
    start = {
        "data": {
            "bulkOperationRunQuery": {"bulkOperation": {"id": "1", "status": "CREATED"}, "userErrors": []}
        }
    }
    replies = iter(
        [start] + [{"data": {"currentBulkOperation": {"id": "1", "objectCount": "0", **poll}}}] * 3
    )
    httpserver.expect_request(GQL, method="POST").respond_with_handler(
        lambda r: Response(json.dumps(next(replies)), content_type="application/json")
    )
    with (
        httpx.Client(base_url=httpserver.url_for("/")) as api,
        pytest.raises(BulkOperationFailed, match=message),
    ):
        backfill(api, con, max_polls=2, sleep=lambda s: None)


def test_bulk_backfill_start_errors_and_empty_shops(httpserver: HTTPServer, con) -> None:
    replies = iter(
        [
            {
                "data": {
                    "bulkOperationRunQuery": {
                        "bulkOperation": None,
                        "userErrors": [
                            {
                                "field": None,
                                "message": "A bulk query operation for this app and shop"
                                " is already in progress",
                            }
                        ],
                    }
                }
            },
            {
                "data": {
                    "bulkOperationRunQuery": {
                        "bulkOperation": {"id": "2", "status": "CREATED"},
                        "userErrors": [],
                    }
                }
            },
            {
                "data": {
                    "currentBulkOperation": {
                        "id": "2",
                        "status": "COMPLETED",
                        "errorCode": None,
                        "objectCount": "0",
                        "url": None,
                    }
                }
            },
        ]
    )
    httpserver.expect_request(GQL, method="POST").respond_with_handler(
        lambda r: Response(json.dumps(next(replies)), content_type="application/json")
    )
    with httpx.Client(base_url=httpserver.url_for("/")) as api:
        with pytest.raises(BulkOperationFailed, match="already in progress"):
            backfill(api, con, sleep=lambda s: None)
        assert backfill(api, con, sleep=lambda s: None) == 0
