"""The Stripe receiver via TestClient and a real uvicorn server, with real signatures and a SQLite inbox."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe
import uvicorn
from fastapi.testclient import TestClient

import snippets.webhooks.receivers as rx

SECRET = "whsec_test_current"
OLD_SECRET = "whsec_test_previous"
URL = "/webhooks/stripe"
NOW = 1_764_460_800  # the receivers under test read this frozen clock, never the wall clock


def frozen_clock() -> float:
    return float(NOW)


def sign(payload: bytes, secret: str, timestamp: int = NOW) -> str:
    t = timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def event(event_id: str = "evt_1", event_type: str = "invoice.paid", **data: Any) -> bytes:
    body = {"id": event_id, "object": "event", "type": event_type, "data": {"object": data}}
    return json.dumps(body, separators=(",", ":")).encode()


class Handler:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.fail = False

    def __call__(self, evt: dict[str, Any]) -> None:
        if self.fail:
            raise RuntimeError("downstream unavailable")
        self.events.append(evt)


@pytest.fixture
def inbox(tmp_path: Path) -> rx.WebhookInbox:
    return rx.WebhookInbox(str(tmp_path / "inbox.db"))


@pytest.fixture
def handler() -> Handler:
    return Handler()


@pytest.fixture
def client(inbox: rx.WebhookInbox, handler: Handler) -> TestClient:
    return TestClient(rx.create_app(inbox, [SECRET], handler, max_body_bytes=4096, clock=frozen_clock))


def post(client: TestClient, body: bytes, signature: str | None) -> Any:
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return client.post(URL, content=body, headers=headers)


def stored(inbox: rx.WebhookInbox) -> list[tuple[str, str]]:
    with sqlite3.connect(inbox.path) as conn:
        return conn.execute("SELECT event_id, status FROM webhook_inbox").fetchall()


def test_valid_event_is_accepted_and_processed(client: TestClient, handler: Handler, inbox) -> None:
    body = event(amount_paid=4200)
    response = post(client, body, sign(body, SECRET))
    assert response.status_code == 200
    assert response.json() == {"received": True}
    assert [e["id"] for e in handler.events] == ["evt_1"]
    assert handler.events[0]["data"]["object"]["amount_paid"] == 4200
    assert stored(inbox) == [("evt_1", "processed")]


@pytest.mark.parametrize(
    ("case", "make_signature", "detail"),
    [
        ("forged", lambda body: sign(body, SECRET).split(",v1=")[0] + ",v1=" + "0" * 64, "no valid v1"),
        ("wrong secret", lambda body: sign(body, "whsec_attacker"), "no valid v1"),
        ("tampered body", lambda body: sign(body.replace(b"4200", b"9999"), SECRET), "no valid v1"),
        ("stale", lambda body: sign(body, SECRET, NOW - 301), "tolerance"),
        ("from the future", lambda body: sign(body, SECRET, NOW + 301), "tolerance"),
        ("missing", lambda body: None, "missing"),
        ("empty", lambda body: "", "missing"),
        ("garbled", lambda body: "not-a-signature", "garbled"),
        ("bad timestamp", lambda body: "t=yesterday,v1=abc", "garbled timestamp"),
        ("no v1", lambda body: f"t={NOW},v0=abc", "lacks"),
    ],
)
def test_bad_signatures_are_rejected_and_nothing_is_processed(
    client: TestClient, handler: Handler, inbox, case: str, make_signature, detail: str
) -> None:
    body = event(amount_paid=4200)
    response = post(client, body, make_signature(body))
    assert response.status_code == 400, case
    assert detail in response.json()["detail"]
    assert handler.events == []
    assert stored(inbox) == []


def test_non_json_body_is_rejected(client: TestClient, handler: Handler, inbox) -> None:
    body = b"<xml>not json</xml>"
    response = post(client, body, sign(body, SECRET))
    assert response.status_code == 400
    assert response.json()["detail"] == "body is not a Stripe event"
    assert handler.events == [] and stored(inbox) == []


def test_json_that_is_not_an_event_is_rejected(client: TestClient, handler: Handler) -> None:
    body = b'["just", "a", "list"]'
    assert post(client, body, sign(body, SECRET)).status_code == 400
    assert handler.events == []


def test_oversized_body_is_rejected_before_verification(client: TestClient, handler: Handler, inbox) -> None:
    body = event(note="x" * 5000)
    response = post(client, body, sign(body, SECRET))
    assert response.status_code == 413
    assert handler.events == [] and stored(inbox) == []


def test_oversized_chunked_body_without_content_length_is_rejected(
    client: TestClient, handler: Handler
) -> None:
    body = event(note="x" * 5000)

    def chunks():
        for i in range(0, len(body), 1000):
            yield body[i : i + 1000]

    headers = {"Stripe-Signature": sign(body, SECRET), "content-type": "application/json"}
    response = client.post(URL, content=chunks(), headers=headers)
    assert response.status_code == 413
    assert handler.events == []


def test_same_event_five_times_is_processed_once(client: TestClient, handler: Handler, inbox) -> None:
    body = event("evt_dup")
    for _ in range(5):  # Stripe resends; each delivery is signed afresh
        assert post(client, body, sign(body, SECRET)).status_code == 200
    assert [e["id"] for e in handler.events] == ["evt_dup"]
    assert stored(inbox) == [("evt_dup", "processed")]


def test_secret_rotation_header_with_two_v1_signatures(inbox, handler: Handler) -> None:
    client = TestClient(rx.create_app(inbox, [SECRET], handler, clock=frozen_clock))
    body = event("evt_roll")
    t = NOW
    old = sign(body, OLD_SECRET, t).split(",v1=")[1]
    new = sign(body, SECRET, t).split(",v1=")[1]
    assert post(client, body, f"t={t},v1={old},v1={new}").status_code == 200
    assert [e["id"] for e in handler.events] == ["evt_roll"]


def test_receiver_holding_old_and_new_secrets_accepts_either(inbox, handler: Handler) -> None:
    client = TestClient(rx.create_app(inbox, [SECRET, OLD_SECRET], handler, clock=frozen_clock))
    first, second = event("evt_a"), event("evt_b")
    assert post(client, first, sign(first, OLD_SECRET)).status_code == 200
    assert post(client, second, sign(second, SECRET)).status_code == 200
    assert [e["id"] for e in handler.events] == ["evt_a", "evt_b"]


def test_failed_processing_is_acknowledged_then_retried_by_the_sweeper(
    client: TestClient, handler: Handler, inbox
) -> None:
    handler.fail = True
    body = event("evt_later")
    assert post(client, body, sign(body, SECRET)).status_code == 200  # stored: Stripe may stop
    assert stored(inbox) == [("evt_later", "failed")]
    assert inbox.pending() == ["evt_later"]
    handler.fail = False
    assert [inbox.process(event_id, handler) for event_id in inbox.pending()] == [True]
    assert stored(inbox) == [("evt_later", "processed")]
    assert inbox.pending() == []
    assert inbox.process("evt_later", handler) is False  # never twice


def test_stuck_processing_is_reclaimed_after_the_lease(tmp_path: Path, handler: Handler) -> None:
    inbox = rx.WebhookInbox(str(tmp_path / "lease.db"), lease_seconds=0.0)
    inbox.save("evt_stuck", "invoice.paid", event("evt_stuck"))
    with sqlite3.connect(inbox.path) as conn:  # a worker claimed it, then died
        conn.execute("UPDATE webhook_inbox SET status = 'processing', claimed_at = 0")
    assert inbox.pending() == ["evt_stuck"]
    assert inbox.process("evt_stuck", handler) is True


def test_verifier_agrees_with_the_stripe_sdk() -> None:
    # The SDK reads the wall clock, so this test signs with it; a whole hour of
    # staleness keeps the rejected case far from the 300-second boundary.
    body = event("evt_sdk", "customer.created")
    now = int(time.time())
    good = sign(body, SECRET, now)
    evt = rx.construct_with_sdk(body, good, SECRET)
    assert isinstance(evt, stripe.Event)
    assert (evt.id, evt.type) == ("evt_sdk", "customer.created")
    rx.verify_stripe_signature(body, good, [SECRET], now=now)  # ours accepts it too

    for bad in (sign(body, "whsec_other", now), sign(body, SECRET, now - 3600)):
        with pytest.raises(stripe.SignatureVerificationError):
            rx.construct_with_sdk(body, bad, SECRET)
        with pytest.raises(rx.SignatureError):
            rx.verify_stripe_signature(body, bad, [SECRET], now=now)


def test_future_timestamp_is_where_the_verifiers_differ() -> None:
    # stripe-python only rejects timestamps older than the tolerance; ours also
    # rejects ones more than the tolerance ahead of its clock (a skewed or forged
    # sender). The page states this difference.
    body = event("evt_future", "customer.updated")
    now = int(time.time())
    ahead = sign(body, SECRET, now + 301)
    evt = rx.construct_with_sdk(body, ahead, SECRET)
    assert evt.id == "evt_future"
    with pytest.raises(rx.SignatureError, match="tolerance"):
        rx.verify_stripe_signature(body, ahead, [SECRET], now=now)
    within = sign(body, SECRET, now + 299)
    assert rx.construct_with_sdk(body, within, SECRET).id == "evt_future"
    rx.verify_stripe_signature(body, within, [SECRET], now=now)


def test_sdk_rejects_a_non_json_body_with_value_error() -> None:
    body = b"not json"
    with pytest.raises(ValueError):
        rx.construct_with_sdk(body, sign(body, SECRET, int(time.time())), SECRET)  # the SDK's clock


def test_tolerance_uses_the_given_clock() -> None:
    body = event()
    header = sign(body, SECRET, timestamp=1_000)
    rx.verify_stripe_signature(body, header, [SECRET], now=1_300)
    with pytest.raises(rx.SignatureError, match="tolerance"):
        rx.verify_stripe_signature(body, header, [SECRET], now=1_301)


@pytest.mark.parametrize("offset", [-300, 300])
def test_app_accepts_the_edges_of_the_window_on_its_clock(inbox, handler: Handler, offset: int) -> None:
    client = TestClient(rx.create_app(inbox, [SECRET], handler, clock=frozen_clock))
    body = event("evt_edge")
    assert post(client, body, sign(body, SECRET, NOW + offset)).status_code == 200


def test_real_server_answers_before_the_handler_finishes(tmp_path: Path) -> None:
    started, release, done = threading.Event(), threading.Event(), []

    def slow_handler(evt: dict[str, Any]) -> None:
        started.set()
        release.wait(10)
        done.append(evt["id"])

    inbox = rx.WebhookInbox(str(tmp_path / "uvicorn.db"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        rx.create_app(inbox, [SECRET], slow_handler, clock=frozen_clock),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        assert server.started
        body = event("evt_fast")
        response = httpx.post(
            f"http://127.0.0.1:{port}/webhooks/stripe",
            content=body,
            headers={"Stripe-Signature": sign(body, SECRET), "content-type": "application/json"},
            timeout=5,
        )
        assert response.status_code == 200  # answered...
        assert started.wait(5)
        assert done == []  # ...while the handler is still working
        assert stored(inbox) == [("evt_fast", "processing")]
        release.set()
        for _ in range(200):
            if stored(inbox) == [("evt_fast", "processed")]:
                break
            time.sleep(0.05)
        assert done == ["evt_fast"]
        assert stored(inbox) == [("evt_fast", "processed")]
    finally:
        release.set()
        server.should_exit = True
        thread.join(10)
