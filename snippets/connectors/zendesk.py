"""Zendesk: webhook signatures and the cursor-based incremental ticket export."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from snippets.connectors.rate_limits import send


# --8<-- [start:client]
def api_token_client(subdomain_url: str, agent_email: str, api_token: str) -> httpx.Client:
    """API-token auth is Basic auth with the user name ``{email}/token``."""
    return httpx.Client(base_url=subdomain_url, auth=(f"{agent_email}/token", api_token), timeout=60)


# --8<-- [end:client]


# --8<-- [start:webhook]
class BadSignature(Exception):
    """The X-Zendesk-Webhook-Signature header is missing, stale or wrong."""


def verify_webhook(
    signing_secret: str, body: bytes, signature: str, timestamp: str, *, now: float, max_age: float = 300
) -> None:
    """Check the base64 HMAC-SHA256 of ``timestamp + body``.

    The headers are ``X-Zendesk-Webhook-Signature`` and
    ``X-Zendesk-Webhook-Signature-Timestamp``. The age check (our choice of
    5 minutes) is what stops a captured request from being replayed later.
    """
    try:
        sent_at = datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()
    except ValueError as exc:
        raise BadSignature("timestamp is not ISO 8601") from exc
    if abs(now - sent_at) > max_age:
        raise BadSignature("timestamp too old or in the future")
    digest = hmac.new(signing_secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    if not hmac.compare_digest(base64.b64encode(digest).decode(), signature):
        raise BadSignature("signature does not match")


# --8<-- [end:webhook]


# --8<-- [start:incremental]
@dataclass
class TicketChanges:
    upserts: dict[int, dict] = field(default_factory=dict)
    deleted_ids: set[int] = field(default_factory=set)
    cursor: str | None = None  # store it; the next run resumes from here


def export_tickets(
    client: httpx.Client, *, start_time: int | None = None, cursor: str | None = None, **send_options
) -> TicketChanges:
    """Read the incremental ticket export until ``end_of_stream``.

    The first run passes ``start_time`` (Unix seconds); later runs pass the
    stored ``cursor``. Deleted tickets arrive with ``status: "deleted"``.
    Tickets changed in the last minute are held back by Zendesk and come
    with the next run, so a short polling interval does not lose them.
    """
    if (start_time is None) == (cursor is None):
        raise ValueError("pass exactly one of start_time and cursor")
    params: dict[str, int | str] = {"per_page": 1000}
    params.update({"cursor": cursor} if cursor else {"start_time": start_time})
    changes = TicketChanges(cursor=cursor)
    while True:
        request = client.build_request("GET", "/api/v2/incremental/tickets/cursor.json", params=params)
        page = send(client, request, **send_options).json()
        if not isinstance(page.get("tickets"), list) or "end_of_stream" not in page:
            raise ValueError(f"unexpected export response: {str(page)[:200]}")
        for ticket in page["tickets"]:
            if ticket.get("status") == "deleted":
                changes.upserts.pop(ticket["id"], None)
                changes.deleted_ids.add(ticket["id"])
            else:
                changes.deleted_ids.discard(ticket["id"])
                changes.upserts[ticket["id"]] = ticket  # a ticket can appear twice: keep the latest
        if page.get("after_cursor"):
            changes.cursor = page["after_cursor"]
        if page["end_of_stream"]:
            return changes
        params = {"per_page": 1000, "cursor": changes.cursor}


# --8<-- [end:incremental]
