"""Dynamics 365 / Dataverse: client-credentials sign-in, paging, change tracking and upsert.

Every request goes through the shared client in ``rate_limits``, so a 429 from
the service protection limits is retried after the ``Retry-After`` seconds the
server asks for, within a bounded budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx

from snippets.connectors.rate_limits import send

# Characters that make a key value unusable in a URL (the docs list them).
UNSAFE_KEY_CHARACTERS = set("/<>*%&:\\?+")


# --8<-- [start:token]
class TokenError(Exception):
    """Microsoft Entra ID refused to issue a token."""


def client_credentials_token(
    client: httpx.Client, tenant_id: str, client_id: str, client_secret: str, environment_url: str
) -> str:
    """Get an app-only access token for one Dataverse environment.

    The app registration must be added to the environment as an application
    user with a security role; the scope is the environment URL plus ``/.default``.
    """
    response = client.post(
        f"/{tenant_id}/oauth2/v2.0/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            "scope": f"{environment_url.rstrip('/')}/.default",
        },
    )
    body = response.json()
    if response.status_code != 200 or "access_token" not in body:
        raise TokenError(
            f"{body.get('error', response.status_code)}: {body.get('error_description', '')[:200]}"
        )
    return body["access_token"]


def dataverse_client(environment_url: str, token: str, *, version: str = "v9.2") -> httpx.Client:
    """An HTTP client for the Web API of one environment, with the OData headers set."""
    return httpx.Client(
        base_url=f"{environment_url.rstrip('/')}/api/data/{version}/",
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "OData-MaxVersion": "4.0",
            "OData-Version": "4.0",
        },
        timeout=httpx.Timeout(130.0),  # the service gives up on an operation after 2 minutes
    )


# --8<-- [end:token]


# --8<-- [start:paginate]
def rows(
    client: httpx.Client, entity_set: str, select: list[str], *, page_size: int = 5000, **send_options
) -> Iterator[dict]:
    """Yield every row of ``entity_set``, following ``@odata.nextLink`` to the end.

    Dataverse has no ``$skip``: the next link carries an opaque paging cookie,
    so it is followed exactly as returned. Page sizes above 5,000 are ignored.
    """
    if not 1 <= page_size <= 5000:
        raise ValueError(f"page_size must be 1..5000, got {page_size}")
    headers = {"Prefer": f"odata.maxpagesize={page_size}"}
    request = client.build_request("GET", entity_set, params={"$select": ",".join(select)}, headers=headers)
    while True:
        page = send(client, request, **send_options).json()
        if not isinstance(page.get("value"), list):
            raise ValueError(f"unexpected Web API response: {str(page)[:200]}")
        yield from page["value"]
        next_link = page.get("@odata.nextLink")
        if not next_link:
            return
        request = client.build_request("GET", next_link, headers=headers)


# --8<-- [end:paginate]


# --8<-- [start:changes]
class ChangeTrackingReset(Exception):
    """The stored delta link can no longer be used: read the table in full again."""


@dataclass
class Changes:
    upserts: list[dict] = field(default_factory=list)
    deleted_ids: list[str] = field(default_factory=list)
    delta_link: str = ""


def _is_deleted(item: dict) -> bool:
    return str(item.get("@odata.context", "")).endswith("/$deletedEntity")


def read_changes(
    client: httpx.Client,
    entity_set: str,
    select: list[str],
    delta_link: str | None = None,
    *,
    page_size: int = 5000,
    **send_options,
) -> Changes:
    """Rows created or updated, and ids deleted, since ``delta_link``.

    Without a delta link this is the initial full read. Store the returned
    ``delta_link`` only after the changes are applied. Change tracking must be
    enabled on the table; ``$filter``, ``$orderby``, ``$expand`` and ``$top``
    are not allowed with it.
    """
    headers = {"Prefer": f"odata.track-changes,odata.maxpagesize={page_size}"}
    if delta_link:
        request = client.build_request("GET", delta_link, headers=headers)
    else:
        params = {"$select": ",".join(select)}
        request = client.build_request("GET", entity_set, params=params, headers=headers)
    changes = Changes()
    while True:
        try:
            page = send(client, request, **send_options).json()
        except httpx.HTTPStatusError as error:
            if delta_link and error.response.status_code in (400, 404, 410):
                # Tokens older than the environment's retention (7 days by
                # default) are refused; only a new full read recovers.
                raise ChangeTrackingReset(error.response.text[:200]) from error
            raise
        for item in page.get("value", []):
            if _is_deleted(item):
                changes.deleted_ids.append(item["id"])
            else:
                changes.upserts.append(item)
        if page.get("@odata.nextLink"):
            request = client.build_request("GET", page["@odata.nextLink"], headers=headers)
            continue
        if not page.get("@odata.deltaLink"):
            raise ValueError("change-tracking response ended without @odata.deltaLink")
        changes.delta_link = page["@odata.deltaLink"]
        return changes


# --8<-- [end:changes]


# --8<-- [start:upsert]
def key_segment(key: dict[str, str | int]) -> str:
    """Format an alternate key for the URL: ``(accountnumber='A-1',region=3)``."""
    if not key:
        raise ValueError("an alternate key needs at least one column")
    parts = []
    for column, value in key.items():
        if isinstance(value, str):
            if UNSAFE_KEY_CHARACTERS & set(value):
                raise ValueError(f"key value {value!r} holds a character the Web API cannot address")
            value = "'" + value.replace("'", "''") + "'"
        parts.append(f"{column}={value}")
    return "(" + ",".join(parts) + ")"


def upsert(
    client: httpx.Client,
    entity_set: str,
    key: dict[str, str | int],
    body: dict,
    *,
    mode: str = "upsert",
    **send_options,
) -> str:
    """Create or update the row whose alternate key is ``key``; return its URL.

    ``mode="create"`` refuses to touch an existing row (``If-None-Match: *``),
    ``mode="update"`` refuses to create one (``If-Match: *``).
    """
    conditions = {"upsert": {}, "create": {"If-None-Match": "*"}, "update": {"If-Match": "*"}}
    if mode not in conditions:
        raise ValueError(f"mode must be one of {sorted(conditions)}, got {mode!r}")
    url = entity_set + key_segment(key)
    request = client.build_request("PATCH", url, json=body, headers=conditions[mode])
    response = send(client, request, **send_options)
    return response.headers.get("OData-EntityId", "")


# --8<-- [end:upsert]
