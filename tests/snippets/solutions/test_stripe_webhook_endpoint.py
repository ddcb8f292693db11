"""Stripe -> FastAPI endpoint -> inbox -> warehouse, end to end.

Signed events go through FastAPI's TestClient into the webhook snippet's
receiver and SQLite inbox, then into DuckDB; a local HTTP server replays the
Events API (a 429 with Retry-After first) for reconciliation.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer

from snippets.solutions.stripe_webhook_endpoint import reconcile, subscription_handler, sweep
from snippets.webhooks.receivers import WebhookInbox, create_app

SECRET = "whsec_guide"
URL = "/webhooks/stripe"


def event(event_id: str, kind: str, created: int, **obj: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "type": f"customer.subscription.{kind}",
        "created": created,
        "data": {"object": {"object": "subscription", **obj}},
    }


def deliver(client: TestClient, evt: dict[str, Any], secret: str = SECRET) -> int:
    body = json.dumps(evt, separators=(",", ":")).encode()
    t = int(time.time())  # the receiver checks the timestamp against its own clock
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    headers = {"content-type": "application/json", "Stripe-Signature": f"t={t},v1={mac}"}
    return client.post(URL, content=body, headers=headers).status_code


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture
def inbox(tmp_path: Path) -> WebhookInbox:
    return WebhookInbox(str(tmp_path / "inbox.db"))


@pytest.fixture
def client(inbox: WebhookInbox, con) -> TestClient:
    return TestClient(create_app(inbox, [SECRET], subscription_handler(con)))


def rows(con) -> list[tuple]:
    return con.execute("SELECT id, status, deleted, event_id FROM stripe_subscription ORDER BY id").fetchall()


def statuses(inbox: WebhookInbox) -> dict[str, str]:
    with sqlite3.connect(inbox.path) as conn:
        return dict(conn.execute("SELECT event_id, status FROM webhook_inbox").fetchall())


def test_events_land_in_the_warehouse_once_whatever_the_order(client, con, inbox) -> None:
    created = event("evt_1", "created", 100, id="sub_1", customer="cus_1", status="incomplete")
    active = event("evt_2", "updated", 110, id="sub_1", customer="cus_1", status="active")
    past_due = event("evt_3", "updated", 120, id="sub_1", customer="cus_1", status="past_due")
    assert deliver(client, past_due) == 200
    assert deliver(client, created) == 200  # older, arrives late: ignored by the MERGE
    assert deliver(client, active) == 200
    for _ in range(3):
        assert deliver(client, past_due) == 200  # duplicate deliveries: acknowledged, applied once
    assert rows(con) == [("sub_1", "past_due", False, "evt_3")]
    assert set(statuses(inbox).values()) == {"processed"}


def test_other_event_types_are_acknowledged_and_ignored(client, con, inbox) -> None:
    invoice = {"id": "evt_i", "object": "event", "type": "invoice.paid", "created": 1, "data": {"object": {}}}
    assert deliver(client, invoice) == 200
    assert statuses(inbox) == {"evt_i": "processed"}
    assert rows(con) == []


def test_a_deletion_is_a_tombstone_that_a_late_update_cannot_undo(client, con) -> None:
    assert (
        deliver(client, event("evt_d", "deleted", 200, id="sub_2", customer="cus_2", status="canceled"))
        == 200
    )
    assert (
        deliver(client, event("evt_u", "updated", 150, id="sub_2", customer="cus_2", status="active")) == 200
    )
    assert rows(con) == [("sub_2", "canceled", True, "evt_d")]


def test_forged_or_stale_signatures_are_refused_and_nothing_is_stored(client, con, inbox) -> None:
    evt = event("evt_x", "created", 100, id="sub_x", customer="cus_x", status="active")
    assert deliver(client, evt, secret="whsec_wrong") == 400
    body = json.dumps(evt).encode()
    stale = int(time.time()) - 3600
    mac = hmac.new(SECRET.encode(), f"{stale}.".encode() + body, hashlib.sha256).hexdigest()
    headers = {"content-type": "application/json", "Stripe-Signature": f"t={stale},v1={mac}"}
    assert client.post(URL, content=body, headers=headers).status_code == 400
    assert statuses(inbox) == {}
    assert con.execute("SELECT count(*) FROM stripe_subscription").fetchone() == (0,)


def test_a_poison_event_is_acknowledged_then_parked_by_the_sweeper(client, con, inbox) -> None:
    poison = event("evt_p", "updated", 300, id="sub_3", status="active")  # no customer
    assert deliver(client, poison) == 200  # Stripe must not keep resending it
    assert statuses(inbox) == {"evt_p": "failed"}
    report = sweep(inbox, subscription_handler(con))
    assert report.parked == ["evt_p"] and report.processed == []
    assert statuses(inbox) == {"evt_p": "parked"}
    assert inbox.pending() == []


def test_a_failed_event_is_retried_then_parked_after_max_attempts(inbox, con) -> None:
    calls = {"n": 0}

    def flaky(evt: dict[str, Any]) -> None:
        calls["n"] += 1
        if calls["n"] < 3:
            raise ConnectionError("warehouse unavailable")
        subscription_handler(con)(evt)

    app = TestClient(create_app(inbox, [SECRET], flaky))
    assert deliver(app, event("evt_f", "created", 400, id="sub_4", customer="cus_4", status="active")) == 200
    assert sweep(inbox, flaky).processed == []  # second failure
    assert sweep(inbox, flaky).processed == ["evt_f"]
    assert rows(con) == [("sub_4", "active", False, "evt_f")]

    def broken(evt: dict[str, Any]) -> None:
        raise ConnectionError("still down")

    inbox.save("evt_g", "customer.subscription.created", b"{}")
    reports = [sweep(inbox, broken, max_attempts=3) for _ in range(4)]  # three tries, then parked
    assert [r.parked for r in reports] == [[], [], [], ["evt_g"]]
    assert statuses(inbox)["evt_g"] == "parked"


def test_reconciliation_recovers_missed_events_through_a_429(
    httpserver: HTTPServer, client, con, inbox
) -> None:
    seen = event("evt_10", "created", 500, id="sub_5", customer="cus_5", status="trialing")
    missed = event("evt_11", "updated", 510, id="sub_5", customer="cus_5", status="active")
    other = event("evt_12", "created", 505, id="sub_6", customer="cus_6", status="active")
    assert deliver(client, seen) == 200
    httpserver.expect_ordered_request("/v1/events").respond_with_json(
        {"error": {"type": "rate_limit_error"}}, status=429, headers={"Retry-After": "2"}
    )
    httpserver.expect_ordered_request("/v1/events").respond_with_json(
        {"object": "list", "data": [missed, other, seen], "has_more": False}  # newest first
    )
    waits: list[float] = []
    with httpx.Client(base_url=httpserver.url_for("/")) as api:
        recovered = reconcile(api, inbox, subscription_handler(con), since=500, sleep=waits.append)
    assert waits == [2.0]  # Retry-After honoured once
    assert recovered == ["evt_12", "evt_11"]  # oldest first; evt_10 was already in the inbox
    assert rows(con) == [("sub_5", "active", False, "evt_11"), ("sub_6", "active", False, "evt_12")]
    query = httpserver.log[-1][0].args
    assert query["created[gte]"] == "500" and query["limit"] == "100"
