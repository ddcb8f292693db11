"""A Stripe webhook receiver: verify the raw body, answer fast, store, process in the background."""

# --8<-- [start:imports]
import hashlib
import hmac
import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from typing import Any

import stripe
from fastapi import BackgroundTasks, FastAPI, HTTPException, Request

# --8<-- [end:imports]


# --8<-- [start:verify]
class SignatureError(ValueError):
    """The request did not come from Stripe, or not recently."""


def parse_signature_header(header: str) -> tuple[int, list[str]]:
    """Split `t=1700000000,v1=abc…,v1=def…` into the timestamp and the v1 signatures."""
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep or not value:
            raise SignatureError("garbled Stripe-Signature header")
        if key == "t":
            if not value.isdigit():
                raise SignatureError("garbled timestamp in Stripe-Signature header")
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value)
        # Other schemes (v0 in test mode) are ignored on purpose.
    if timestamp is None or not signatures:
        raise SignatureError("Stripe-Signature header lacks t= or v1=")
    return timestamp, signatures


def verify_stripe_signature(
    payload: bytes,
    header: str | None,
    secrets: Sequence[str],
    *,
    tolerance: int = 300,
    now: float | None = None,
) -> None:
    """Raise SignatureError unless one v1 signature matches one of our secrets."""
    if not header:
        raise SignatureError("missing Stripe-Signature header")
    timestamp, signatures = parse_signature_header(header)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance window")  # stops replays
    signed_payload = str(timestamp).encode() + b"." + payload  # the raw bytes, never re-serialised JSON
    for secret in secrets:  # more than one secret only while you roll a secret
        expected = hmac.new(secret.encode(), signed_payload, hashlib.sha256).hexdigest()
        for candidate in signatures:
            if hmac.compare_digest(expected, candidate):  # constant time: no timing oracle
                return
    raise SignatureError("no valid v1 signature for our secret")


# --8<-- [end:verify]


# --8<-- [start:inbox]
class WebhookInbox:
    """Events stored before we answer Stripe, so a crash after the 2xx loses nothing."""

    def __init__(self, path: str, *, lease_seconds: float = 300.0) -> None:
        self.path = path
        self.lease_seconds = lease_seconds
        with closing(self._connect()) as conn, conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS webhook_inbox ("
                " event_id TEXT PRIMARY KEY, event_type TEXT NOT NULL, payload BLOB NOT NULL,"
                " status TEXT NOT NULL DEFAULT 'received',"  # received | processing | processed | failed
                " attempts INTEGER NOT NULL DEFAULT 0, claimed_at REAL, last_error TEXT,"
                " received_at REAL NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def save(self, event_id: str, event_type: str, payload: bytes) -> bool:
        """Store a new event. False means we already have it: a duplicate delivery."""
        with closing(self._connect()) as conn, conn:
            return (
                conn.execute(
                    "INSERT INTO webhook_inbox (event_id, event_type, payload, received_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
                    (event_id, event_type, payload, time.time()),
                ).rowcount
                == 1
            )

    def process(self, event_id: str, handler: Callable[[dict[str, Any]], None]) -> bool:
        """Claim the event, run the handler, record the outcome. False if not claimed."""
        now = time.time()
        with closing(self._connect()) as conn:
            with conn:
                claimed = conn.execute(
                    "UPDATE webhook_inbox SET status = 'processing', claimed_at = ?, attempts = attempts + 1"
                    " WHERE event_id = ? AND (status IN ('received', 'failed')"
                    " OR (status = 'processing' AND claimed_at < ?))",  # a worker died mid-way
                    (now, event_id, now - self.lease_seconds),
                ).rowcount
            if not claimed:
                return False
            (payload,) = conn.execute(
                "SELECT payload FROM webhook_inbox WHERE event_id = ?", (event_id,)
            ).fetchone()
            try:
                handler(json.loads(payload))
            except Exception as error:
                with conn:
                    conn.execute(
                        "UPDATE webhook_inbox SET status = 'failed', last_error = ? WHERE event_id = ?",
                        (f"{type(error).__name__}: {error}", event_id),
                    )
                return False
            with conn:
                conn.execute("UPDATE webhook_inbox SET status = 'processed' WHERE event_id = ?", (event_id,))
            return True

    def pending(self) -> list[str]:
        """Events a scheduled sweeper should (re)process: failed, never started, or stuck."""
        with closing(self._connect()) as conn:
            rows = conn.execute(
                "SELECT event_id FROM webhook_inbox WHERE status IN ('received', 'failed')"
                " OR (status = 'processing' AND claimed_at < ?) ORDER BY received_at",
                (time.time() - self.lease_seconds,),
            ).fetchall()
        return [event_id for (event_id,) in rows]


# --8<-- [end:inbox]


# --8<-- [start:app]
MAX_BODY_BYTES = 512 * 1024  # our limit, far above a normal event; tune to your largest


async def read_body(request: Request, limit: int) -> bytes:
    """Read the raw body, refusing to buffer more than `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(status_code=413, detail="payload too large")
    body = bytearray()
    async for chunk in request.stream():  # also covers chunked bodies with no Content-Length
        body += chunk
        if len(body) > limit:
            raise HTTPException(status_code=413, detail="payload too large")
    return bytes(body)


def create_app(
    inbox: WebhookInbox,
    secrets: Sequence[str],
    handler: Callable[[dict[str, Any]], None],
    *,
    tolerance: int = 300,
    max_body_bytes: int = MAX_BODY_BYTES,
    clock: Callable[[], float] = time.time,  # tests pass a frozen clock
) -> FastAPI:
    app = FastAPI()

    @app.post("/webhooks/stripe")
    async def stripe_webhook(request: Request, background: BackgroundTasks) -> dict[str, bool]:
        payload = await read_body(request, max_body_bytes)
        try:
            verify_stripe_signature(
                payload, request.headers.get("stripe-signature"), secrets, tolerance=tolerance, now=clock()
            )
        except SignatureError as error:
            raise HTTPException(status_code=400, detail=str(error)) from error
        try:
            event = json.loads(payload)
            event_id, event_type = str(event["id"]), str(event["type"])
        except (ValueError, KeyError, TypeError) as error:
            raise HTTPException(status_code=400, detail="body is not a Stripe event") from error
        if inbox.save(event_id, event_type, payload):
            background.add_task(inbox.process, event_id, handler)  # runs after the response
        return {"received": True}  # also for duplicates: Stripe must stop resending

    return app


# --8<-- [end:app]


# --8<-- [start:sdk]
def construct_with_sdk(payload: bytes, header: str, secret: str) -> stripe.Event:
    """The library way: same checks (HMAC-SHA256, 300 s tolerance), one secret per call.

    Raises stripe.SignatureVerificationError on a bad signature or stale timestamp,
    and ValueError when the body is not JSON.
    """
    return stripe.Webhook.construct_event(payload, header, secret, tolerance=300)


# --8<-- [end:sdk]
