"""Salesforce: JWT bearer sign-in, SOQL paging, incremental sync with deletes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import jwt

from snippets.connectors.rate_limits import send

# --8<-- [start:jwt_bearer]
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def jwt_assertion(
    client_id: str,
    username: str,
    private_key_pem: bytes,
    *,
    audience: str = "https://login.salesforce.com",  # https://test.salesforce.com for sandboxes
    now: float | None = None,
) -> str:
    """Sign the assertion the JWT bearer flow expects (RS256, short-lived)."""
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": client_id,  # the connected app's consumer key
        "sub": username,  # the integration user, pre-authorised for the app
        "aud": audience,
        "exp": issued + 180,  # Salesforce accepts at most 3 minutes ahead
    }
    return jwt.encode(claims, private_key_pem, algorithm="RS256")


def fetch_token(client: httpx.Client, token_url: str, assertion: str) -> tuple[str, str]:
    """Exchange the assertion for an access token and the org's instance URL."""
    response = client.post(token_url, data={"grant_type": JWT_BEARER, "assertion": assertion})
    response.raise_for_status()
    body = response.json()
    return body["access_token"], body["instance_url"]


# --8<-- [end:jwt_bearer]


# --8<-- [start:paginate]
def query(
    client: httpx.Client, soql: str, *, version: str = "v62.0", include_deleted: bool = False, **send_options
) -> Iterator[dict]:
    """Yield every record of a SOQL query, following ``nextRecordsUrl`` once per page."""
    resource = "queryAll" if include_deleted else "query"
    request = client.build_request("GET", f"/services/data/{version}/{resource}", params={"q": soql})
    while True:
        page = send(client, request, **send_options).json()
        if not isinstance(page, dict) or "records" not in page or "done" not in page:
            raise ValueError(f"unexpected query response: {str(page)[:200]}")
        for record in page["records"]:
            record.pop("attributes", None)
            yield record
        if page["done"]:
            return
        next_url = page.get("nextRecordsUrl")
        if not next_url:
            raise ValueError("done is false but nextRecordsUrl is missing")
        request = client.build_request("GET", next_url)  # a locator, valid for a limited time


# --8<-- [end:paginate]


# --8<-- [start:limit_info]
def api_usage(response: httpx.Response) -> tuple[int, int] | None:
    """Read ``Sforce-Limit-Info: api-usage=used/limit`` (org-wide, rolling 24 h)."""
    header = response.headers.get("Sforce-Limit-Info", "")
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "api-usage" and "/" in value:
            used, _, limit = value.partition("/")
            if used.isdigit() and limit.isdigit():
                return int(used), int(limit)
    return None


# --8<-- [end:limit_info]


# --8<-- [start:incremental]
GET_DELETED_WINDOW = timedelta(days=15)


class DeletesOutOfReach(Exception):
    """The last sync is older than getDeleted's window: reconcile all IDs instead."""


@dataclass
class Changes:
    upserts: list[dict] = field(default_factory=list)
    deleted_ids: list[str] = field(default_factory=list)
    cursor: datetime | None = None


def _soql_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def extract_changes(
    client: httpx.Client,
    sobject: str,
    fields: list[str],
    since: datetime,
    until: datetime,
    *,
    version: str = "v62.0",
    **send_options,
) -> Changes:
    """Read records changed in ``(since, until]`` and the IDs deleted in that window.

    ``SystemModstamp`` moves on every change, including ones made by
    automation, and is indexed; ``until`` is fixed before reading so rows
    written during the run are picked up next time, not skipped.
    """
    if until - since > GET_DELETED_WINDOW:
        raise DeletesOutOfReach(f"{sobject}: last sync {since.isoformat()} is beyond 15 days")
    columns = ", ".join(dict.fromkeys(["Id", "SystemModstamp", *fields]))
    soql = (
        f"SELECT {columns} FROM {sobject} "
        f"WHERE SystemModstamp > {_soql_time(since)} AND SystemModstamp <= {_soql_time(until)} "
        "ORDER BY SystemModstamp, Id"
    )
    changes = Changes(upserts=list(query(client, soql, version=version, **send_options)), cursor=until)
    deleted = send(
        client,
        client.build_request(
            "GET",
            f"/services/data/{version}/sobjects/{sobject}/deleted/",
            params={"start": _soql_time(since), "end": _soql_time(until)},
        ),
        **send_options,
    ).json()
    earliest = deleted.get("earliestDateAvailable")
    if earliest and datetime.fromisoformat(earliest.replace("+0000", "+00:00")) > since:
        # The recycle bin was emptied or the delete log trimmed after `since`.
        raise DeletesOutOfReach(f"{sobject}: deletes before {earliest} are no longer listed")
    changes.deleted_ids = [row["id"] for row in deleted.get("deletedRecords", [])]
    return changes


# --8<-- [end:incremental]
