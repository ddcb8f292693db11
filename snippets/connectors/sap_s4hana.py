"""SAP S/4HANA OData: token exchange, paging, ODP delta with deletes, and CSRF-protected writes.

The same code talks to S/4HANA Cloud and to on-premise or Private Cloud
systems; what differs is the host, the sign-in and which services exist.
Every request goes through the shared client in ``rate_limits``, so a 429 or
503 with ``Retry-After`` is waited out within a bounded budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx

from snippets.connectors.rate_limits import send


# --8<-- [start:token]
def client_credentials_token(client: httpx.Client, token_url: str, client_id: str, client_secret: str) -> str:
    """Exchange an OAuth client's id and secret for an access token.

    On premise the AS ABAP token endpoint is ``/sap/bc/sec/oauth2/token``;
    on Cloud use the token URL shown for the OAuth client of your
    communication arrangement. The client authenticates with HTTP basic auth.
    """
    response = client.post(
        token_url, data={"grant_type": "client_credentials"}, auth=(client_id, client_secret)
    )
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    if response.status_code != 200 or "access_token" not in body:
        raise PermissionError(f"token request failed: {response.status_code} {body.get('error', '')}")
    return body["access_token"]


# --8<-- [end:token]


# --8<-- [start:paginate]
def v2_rows(
    client: httpx.Client,
    service: str,
    entity_set: str,
    select: list[str],
    order_by: str,
    *,
    page_size: int = 1000,
    **send_options,
) -> Iterator[dict]:
    """Yield every entity of an OData v2 entity set.

    Pages with ``$top``/``$skip`` over a stable ``$orderby``; when the service
    pages on its own, it returns ``__next`` (with a ``$skiptoken``), which is
    then followed instead until it is absent.
    """
    params = {
        "$select": ",".join(select),
        "$orderby": order_by,
        "$top": page_size,
        "$skip": 0,
        "$format": "json",
    }
    request = client.build_request("GET", f"{service}/{entity_set}", params=params)
    server_paged = False
    while True:
        body = send(client, request, **send_options).json()
        data = body.get("d") if isinstance(body, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise ValueError(f"unexpected OData v2 response: {str(body)[:200]}")
        yield from data["results"]
        if data.get("__next"):
            server_paged = True
            request = client.build_request("GET", request.url.join(data["__next"]))
            continue
        if server_paged or len(data["results"]) < page_size:
            return
        params["$skip"] += page_size
        request = client.build_request("GET", f"{service}/{entity_set}", params=params)


def v4_rows(client: httpx.Client, url: str, **send_options) -> Iterator[dict]:
    """Yield every entity of an OData v4 collection, following ``@odata.nextLink``."""
    request = client.build_request("GET", url)
    while True:
        body = send(client, request, **send_options).json()
        if not isinstance(body.get("value"), list):
            raise ValueError(f"unexpected OData v4 response: {str(body)[:200]}")
        yield from body["value"]
        if not body.get("@odata.nextLink"):
            return
        # The link may be relative to the request (SAP's v4 services send "Product?$skiptoken=...").
        request = client.build_request("GET", request.url.join(body["@odata.nextLink"]))


# --8<-- [end:paginate]


# --8<-- [start:delta]
@dataclass
class Changes:
    upserts: list[dict] = field(default_factory=list)
    deleted_keys: list[dict] = field(default_factory=list)
    delta_link: str = ""


def odp_changes(
    client: httpx.Client,
    service: str,
    entity_set: str,
    key_fields: list[str],
    delta_link: str | None = None,
    **send_options,
) -> Changes:
    """Read an ODP-based, delta-enabled OData v2 entity set.

    The first call (no ``delta_link``) subscribes with ``Prefer:
    odata.track-changes`` and returns the full set; later calls follow the
    stored ``__delta`` link. Each record carries ``ODQ_CHANGEMODE``: ``D``
    marks a deletion, which is reported by its key fields only.
    """
    headers = {"Prefer": "odata.track-changes"}
    if delta_link:
        request = client.build_request("GET", delta_link, headers=headers)
    else:
        params = {"$format": "json"}
        request = client.build_request("GET", f"{service}/{entity_set}", params=params, headers=headers)
    changes = Changes()
    while True:
        data = send(client, request, **send_options).json().get("d", {})
        for record in data.get("results", []):
            if record.get("ODQ_CHANGEMODE") == "D":
                changes.deleted_keys.append({k: record[k] for k in key_fields})
            else:
                changes.upserts.append(record)
        if data.get("__next"):
            request = client.build_request("GET", request.url.join(data["__next"]), headers=headers)
            continue
        if not data.get("__delta"):
            raise ValueError("no __delta link: is the entity set delta-enabled and subscribed?")
        changes.delta_link = data["__delta"]
        return changes


# --8<-- [end:delta]


# --8<-- [start:csrf_write]
class CsrfTokenRequired(PermissionError):
    """The server rejected the CSRF token (403 with ``x-csrf-token: Required``)."""


class EtagMismatch(Exception):
    """Someone changed the entity since it was read (412): read it again and re-apply."""


@dataclass
class CsrfWriter:
    """Writes to one OData service with a CSRF token and the session cookies it belongs to.

    The ``httpx.Client`` keeps the cookies; the token is fetched once and again
    only when the server answers 403 with ``x-csrf-token: Required``.
    """

    client: httpx.Client
    service: str
    token: str = ""

    def fetch_token(self) -> str:
        response = self.client.get(f"{self.service}/", headers={"X-CSRF-Token": "Fetch"})
        response.raise_for_status()
        self.token = response.headers.get("X-CSRF-Token", "")
        if not self.token:
            raise PermissionError("the service returned no CSRF token")
        return self.token

    def update(self, entity_path: str, changes: dict, etag: str, **send_options) -> str:
        """PATCH ``changes`` if the entity still has ``etag``; return the new ETag."""
        if not self.token:
            self.fetch_token()
        try:
            return self._patch(entity_path, changes, etag, **send_options)
        except CsrfTokenRequired:
            self.fetch_token()  # session or token expired: one new token, one retry
            return self._patch(entity_path, changes, etag, **send_options)

    def _patch(self, entity_path: str, changes: dict, etag: str, **send_options) -> str:
        request = self.client.build_request(
            "PATCH",
            f"{self.service}/{entity_path}",
            json=changes,
            headers={"X-CSRF-Token": self.token, "If-Match": etag},
        )
        try:
            response = send(self.client, request, **send_options)
        except httpx.HTTPStatusError as error:
            status = error.response.status_code
            if status == 403 and error.response.headers.get("X-CSRF-Token", "").lower() == "required":
                raise CsrfTokenRequired(entity_path) from error
            if status == 412:
                raise EtagMismatch(entity_path) from error
            raise
        return response.headers.get("ETag", "")


# --8<-- [end:csrf_write]
