"""Shopify: webhook HMAC and cost-aware GraphQL Admin API paging."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Iterator

import httpx

from snippets.connectors.rate_limits import send


# --8<-- [start:webhook]
def verify_webhook(client_secret: str, raw_body: bytes, hmac_header: str | None) -> bool:
    """True when ``X-Shopify-Hmac-Sha256`` is the base64 HMAC-SHA256 of the raw body.

    Read the body before any JSON parsing; dedupe accepted deliveries on
    ``X-Shopify-Webhook-Id``, since Shopify may deliver the same one again.
    """
    if not hmac_header:
        return False
    digest = hmac.new(client_secret.encode(), raw_body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), hmac_header)


# --8<-- [end:webhook]


# --8<-- [start:graphql]
class GraphQLError(Exception):
    """The response carried errors other than throttling."""


def _wait_for_points(cost: dict, needed: float) -> float:
    """Seconds until the bucket holds ``needed`` points, from ``extensions.cost``."""
    status = cost["throttleStatus"]
    missing = needed - status["currentlyAvailable"]
    return max(0.0, missing / status["restoreRate"])


def paginate(
    client: httpx.Client,
    query: str,
    connection: str,
    *,
    variables: dict | None = None,
    version: str = "2026-01",
    sleep: Callable[[float], None] = time.sleep,
    max_throttles: int = 5,
    **send_options,
) -> Iterator[dict]:
    """Yield every node of ``connection``, following ``pageInfo.endCursor``.

    ``query`` must take an ``$after: String`` variable and select
    ``pageInfo { hasNextPage endCursor }`` and ``nodes``. A throttled
    request is retried after the time the bucket needs to refill.
    """
    variables = dict(variables or {}, after=None)
    throttles = 0
    while True:
        request = client.build_request(
            "POST", f"/admin/api/{version}/graphql.json", json={"query": query, "variables": variables}
        )
        body = send(client, request, sleep=sleep, **send_options).json()
        cost = (body.get("extensions") or {}).get("cost")
        errors = body.get("errors") or []
        if any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors):
            throttles += 1
            if throttles > max_throttles or not cost:
                raise GraphQLError("throttled too often")
            sleep(_wait_for_points(cost, cost["requestedQueryCost"]))
            continue  # the same page again: nothing was returned
        if errors:
            raise GraphQLError(errors[0].get("message", "GraphQL error"))
        try:
            page = body["data"][connection]
            nodes, info = page["nodes"], page["pageInfo"]
        except (KeyError, TypeError) as exc:
            raise GraphQLError(f"unexpected response shape: {str(body)[:200]}") from exc
        yield from nodes
        if not info["hasNextPage"]:
            return
        variables["after"] = info["endCursor"]
        if cost:  # pace ourselves before the next page rather than hit the limit
            sleep(_wait_for_points(cost, cost["requestedQueryCost"]))


# --8<-- [end:graphql]


# --8<-- [start:incremental_query]
PRODUCTS_UPDATED_SINCE = """
query Products($after: String, $search: String!) {
  products(first: 250, after: $after, query: $search, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id title updatedAt }
  }
}
"""


def products_updated_since(client: httpx.Client, since_iso: str, **options) -> Iterator[dict]:
    """Products updated after ``since_iso``, oldest first (deletes come from ``products/delete`` webhooks)."""
    return paginate(
        client,
        PRODUCTS_UPDATED_SINCE,
        "products",
        variables={"search": f"updated_at:>'{since_iso}'"},
        **options,
    )


# --8<-- [end:incremental_query]
