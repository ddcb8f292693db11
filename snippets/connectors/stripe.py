"""Stripe: webhook signatures, list paging with starting_after, events as a change feed."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import stripe

from snippets.connectors.rate_limits import send


# --8<-- [start:webhook_sdk]
def parse_webhook(payload: bytes, signature_header: str, endpoint_secret: str) -> stripe.Event:
    """Verify a delivery with the SDK and return the event.

    Pass the raw request body: re-serialised JSON no longer matches the
    signature. Raises ``stripe.SignatureVerificationError`` on a bad or
    stale signature (older than 300 s by default); answer it with a 400.
    """
    return stripe.Webhook.construct_event(payload, signature_header, endpoint_secret, tolerance=300)


# --8<-- [end:webhook_sdk]


# --8<-- [start:webhook_by_hand]
class BadSignature(Exception):
    """The Stripe-Signature header is missing, malformed, stale or wrong."""


def verify_by_hand(
    payload: bytes, signature_header: str, endpoint_secret: str, *, now: int, tolerance: int = 300
) -> None:
    """What the SDK checks: HMAC-SHA256 of ``"{t}.{body}"``, hex, under any ``v1``."""
    timestamp, candidates = None, []
    for item in signature_header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)  # several during a secret rotation
    if timestamp is None or not candidates:
        raise BadSignature("header has no timestamp or no v1 signature")
    if abs(now - timestamp) > tolerance:
        raise BadSignature("timestamp outside the tolerance: possible replay")
    signed = f"{timestamp}.".encode() + payload
    expected = hmac.new(endpoint_secret.encode(), signed, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        raise BadSignature("no v1 signature matches")


# --8<-- [end:webhook_by_hand]


# --8<-- [start:paginate]
def list_all(client: httpx.Client, path: str, params: dict | None = None, **send_options) -> Iterator[dict]:
    """Yield every object of a list endpoint, passing the last ID as ``starting_after``."""
    query = {**(params or {}), "limit": 100}  # 100 is the maximum page size
    while True:
        page = send(client, client.build_request("GET", path, params=query), **send_options).json()
        if page.get("object") != "list" or not isinstance(page.get("data"), list):
            raise ValueError(f"unexpected list response: {str(page)[:200]}")
        yield from page["data"]
        if not page.get("has_more") or not page["data"]:
            return
        query["starting_after"] = page["data"][-1]["id"]


# --8<-- [end:paginate]


# --8<-- [start:paginate_sdk]
def customers_with_sdk(sdk: stripe.StripeClient) -> Iterator[stripe.Customer]:
    """The SDK does the same loop: ``auto_paging_iter`` follows ``has_more``."""
    return sdk.v1.customers.list({"limit": 100}).auto_paging_iter()


# --8<-- [end:paginate_sdk]


# --8<-- [start:incremental]
@dataclass
class Changes:
    upserts: dict[str, dict] = field(default_factory=dict)  # latest state by object ID
    deleted_ids: set[str] = field(default_factory=set)
    cursor: int = 0  # `created` of the newest event applied


def changes_from_events(client: httpx.Client, object_type: str, since: int, **send_options) -> Changes:
    """Replay ``/v1/events`` created after ``since`` into upserts and deletes.

    Events are listed newest first and kept for 30 days: a sync that pauses
    longer must backfill from the list endpoint with ``created`` filters.
    """
    # gte, not gt: events created in the same second as the cursor are read
    # again, which is harmless because applying an event twice changes nothing.
    params = {"created[gte]": since, "type": f"{object_type}.*"}
    events = list(list_all(client, "/v1/events", params, **send_options))
    changes = Changes(cursor=since)
    for event in sorted(events, key=lambda e: (e["created"], e["id"])):
        if not event["type"].startswith(f"{object_type}."):
            continue
        obj = event["data"]["object"]
        if event["type"] == f"{object_type}.deleted" or obj.get("deleted"):
            changes.upserts.pop(obj["id"], None)
            changes.deleted_ids.add(obj["id"])
        else:
            changes.deleted_ids.discard(obj["id"])
            changes.upserts[obj["id"]] = obj
        changes.cursor = max(changes.cursor, event["created"])
    return changes


# --8<-- [end:incremental]
