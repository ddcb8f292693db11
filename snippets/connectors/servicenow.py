"""ServiceNow: Table API paging with sysparm_offset, sys_updated_on sync, sys_audit_delete."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx

from snippets.connectors.rate_limits import send

SN_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


# --8<-- [start:paginate]
def table_rows(
    client: httpx.Client, table: str, query: str, fields: list[str], *, page_size: int = 1000, **send_options
) -> Iterator[dict]:
    """Yield every row of ``table`` matching an encoded ``query``, one request per page.

    ``query`` must end with a total order (``ORDERBYsys_updated_on^ORDERBYsys_id``)
    so offsets are stable. A short page does not mean the end: the limit is
    applied before access controls, so the loop stops only on an empty page
    or when the ``Link`` header has no ``next``.
    """
    offset = 0
    while True:
        params = {
            "sysparm_query": query,
            "sysparm_fields": ",".join(fields),
            "sysparm_limit": page_size,
            "sysparm_offset": offset,
            "sysparm_display_value": "false",  # UTC values, not the user's format
            "sysparm_exclude_reference_link": "true",
        }
        response = send(
            client, client.build_request("GET", f"/api/now/table/{table}", params=params), **send_options
        )
        rows = response.json().get("result")
        if not isinstance(rows, list):
            raise ValueError(f"unexpected Table API response: {response.text[:200]}")
        yield from rows
        if not rows or "next" not in response.links:
            return
        offset += page_size


# --8<-- [end:paginate]


# --8<-- [start:incremental]
@dataclass
class Changes:
    upserts: list[dict] = field(default_factory=list)
    deleted_ids: list[str] = field(default_factory=list)
    cursor: str = ""


def extract_changes(
    client: httpx.Client, table: str, fields: list[str], since: str, until: str, **send_options
) -> Changes:
    """Rows with ``since <= sys_updated_on < until`` plus deletes logged in that window.

    Both bounds are UTC ``YYYY-MM-DD HH:MM:SS``. ``>=`` re-reads rows stamped in
    the cursor's own second, which the caller's upsert absorbs. Deletes come
    from ``sys_audit_delete``; table-cleaner deletes are not recorded there,
    so schedule a periodic full ID reconcile as well.
    """
    for value in (since, until):
        if not SN_DATETIME.match(value):  # an invalid encoded query is silently ignored
            raise ValueError(f"not a ServiceNow UTC datetime: {value!r}")
    window = f"sys_updated_on>={since}^sys_updated_on<{until}"
    changes = Changes(cursor=until)
    changes.upserts = list(
        table_rows(
            client,
            table,
            f"{window}^ORDERBYsys_updated_on^ORDERBYsys_id",
            ["sys_id", "sys_updated_on", *fields],
            **send_options,
        )
    )
    deletes = table_rows(
        client,
        "sys_audit_delete",
        f"tablename={table}^sys_created_on>={since}^sys_created_on<{until}^ORDERBYsys_created_on^ORDERBYsys_id",
        ["documentkey", "sys_created_on"],
        **send_options,
    )
    changes.deleted_ids = [row["documentkey"] for row in deletes]
    return changes


# --8<-- [end:incremental]
