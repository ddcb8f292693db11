"""HubSpot: private app token, v3 webhook signatures, cursor paging and search-based sync."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator

import httpx

from snippets.connectors.rate_limits import send


# --8<-- [start:private_app]
def private_app_client(access_token: str, base_url: str = "https://api.hubapi.com") -> httpx.Client:
    """A client for one account: a private app's token is a plain Bearer token."""
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {access_token}"}, timeout=30)


# --8<-- [end:private_app]


# --8<-- [start:webhook_v3]
MAX_AGE_MS = 5 * 60 * 1000


class BadSignature(Exception):
    """The X-HubSpot-Signature-v3 header is missing, stale or wrong."""


def verify_v3(
    client_secret: str, method: str, uri: str, body: bytes, timestamp: str, signature: str, *, now_ms: int
) -> None:
    """Check ``X-HubSpot-Signature-v3``: base64 HMAC-SHA256 of method + URI + body + timestamp.

    ``uri`` is the full URL HubSpot called, including the query string;
    ``timestamp`` is ``X-HubSpot-Request-Timestamp`` in milliseconds.
    """
    if not timestamp.isdigit() or abs(now_ms - int(timestamp)) > MAX_AGE_MS:
        raise BadSignature("timestamp missing or older than 5 minutes")
    message = method.upper().encode() + uri.encode() + body + timestamp.encode()
    expected = base64.b64encode(hmac.new(client_secret.encode(), message, hashlib.sha256).digest()).decode()
    if not hmac.compare_digest(expected, signature):
        raise BadSignature("signature does not match")


# --8<-- [end:webhook_v3]


# --8<-- [start:paginate]
def list_objects(
    client: httpx.Client, object_type: str, properties: list[str], *, archived: bool = False, **send_options
) -> Iterator[dict]:
    """Yield every record of a CRM object, following ``paging.next.after``."""
    params: dict[str, str | int] = {
        "limit": 100,
        "properties": ",".join(properties),
        "archived": str(archived).lower(),
    }
    while True:
        request = client.build_request("GET", f"/crm/v3/objects/{object_type}", params=params)
        page = send(client, request, **send_options).json()
        if not isinstance(page.get("results"), list):
            raise ValueError(f"unexpected list response: {str(page)[:200]}")
        yield from page["results"]
        after = (page.get("paging") or {}).get("next", {}).get("after")
        if not after:
            return
        params["after"] = after


# --8<-- [end:paginate]


# --8<-- [start:incremental]
SEARCH_CEILING = 10_000  # search stops paging after this many results per query
PAGE_SIZE = 200  # the search maximum


def modified_since(
    client: httpx.Client, object_type: str, since_ms: int, properties: list[str], **send_options
) -> Iterator[dict]:
    """Yield records with ``hs_lastmodifieddate >= since_ms``, oldest first.

    Search pages stop at 10,000 results, so when a query gets close, start a
    new one from the last timestamp seen (records at that exact millisecond
    are read twice; the caller upserts, so that is harmless).
    """
    seen: set[str] = set()
    anchor = since_ms
    while True:
        body = {
            "filterGroups": [
                {
                    "filters": [
                        {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": str(anchor)}
                    ]
                }
            ],
            "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
            "properties": ["hs_lastmodifieddate", *properties],
            "limit": PAGE_SIZE,
        }
        read, last_modified = 0, anchor
        while True:
            request = client.build_request("POST", f"/crm/v3/objects/{object_type}/search", json=body)
            page = send(client, request, **send_options).json()
            for record in page.get("results", []):
                read += 1
                last_modified = int(record["properties"]["hs_lastmodifieddate"])
                if record["id"] not in seen:
                    seen.add(record["id"])
                    yield record
            after = (page.get("paging") or {}).get("next", {}).get("after")
            if not after or read + body["limit"] > SEARCH_CEILING:
                break
            body["after"] = after
        if not after:
            return
        if last_modified == anchor:
            raise RuntimeError(f"more than {SEARCH_CEILING} records share one hs_lastmodifieddate")
        anchor = last_modified


# --8<-- [end:incremental]
