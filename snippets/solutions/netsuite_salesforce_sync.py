"""NetSuite and Salesforce accounts kept in step in both directions.

Each field has one system of record. Changes from either side go through one
function that decides what to write where, using the crosswalk for ids and a
table of agreed values: an echo of our own write changes nothing, so the sync
cannot loop, and an edit by the system that does not own a field is reverted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb
import httpx

from snippets.connectors.netsuite import changed_since
from snippets.connectors.rate_limits import send
from snippets.connectors.salesforce import query
from snippets.mapping.crosswalk import SCHEMA as CROSSWALK_SCHEMA
from snippets.mapping.crosswalk import resolve, translate

# --8<-- [start:rules]
OWNER = {"name": "salesforce", "phone": "salesforce", "credit_limit": "netsuite", "terms": "netsuite"}
FIELDS = {
    "salesforce": {
        "name": "Name",
        "phone": "Phone",
        "credit_limit": "Credit_Limit__c",
        "terms": "Payment_Terms__c",
    },
    "netsuite": {"name": "companyname", "phone": "phone", "credit_limit": "creditlimit", "terms": "terms"},
}
OTHER = {"salesforce": "netsuite", "netsuite": "salesforce"}
AGREED = """
CREATE TABLE IF NOT EXISTS account_agreed (  -- the value both systems should hold, per field
    canonical_id VARCHAR, field VARCHAR, value VARCHAR, PRIMARY KEY (canonical_id, field)
);
CREATE TABLE IF NOT EXISTS sync_conflicts (
    canonical_id VARCHAR, system VARCHAR, field VARCHAR, attempted VARCHAR, kept VARCHAR
);
"""


@dataclass(frozen=True)
class Change:
    system: str
    record_id: str
    values: dict[str, str | None]  # canonical field name -> value, as the system holds it now
    by_integration: bool = False  # last modified by the sync's own user
    deleted: bool = False


@dataclass(frozen=True)
class Write:
    system: str
    record_id: str | None  # None: create the record
    values: dict[str, str | None]
    canonical_id: str


@dataclass
class Plan:
    writes: list[Write] = field(default_factory=list)
    skipped: str | None = None  # why nothing was written


def plan_change(con: duckdb.DuckDBPyConnection, change: Change) -> Plan:
    """Decide what one change means for both systems."""
    con.execute(CROSSWALK_SCHEMA)
    con.execute(AGREED)
    canonical = resolve(con, change.system, change.record_id, None, entity="account").canonical_id
    other = OTHER[change.system]
    other_id = translate(con, change.system, change.record_id, other, entity="account")
    if change.deleted:
        # Never cascade a delete into the ERP: its transactions still point at the customer.
        if other_id is None:
            return Plan(skipped="deleted before it was ever synced")
        return Plan([Write(other, other_id, {"inactive": "true"}, canonical)])
    agreed = dict(
        con.execute("SELECT field, value FROM account_agreed WHERE canonical_id = ?", [canonical]).fetchall()
    )
    forward: dict[str, str | None] = {}
    revert: dict[str, str | None] = {}
    for name, value in change.values.items():
        if name in agreed and agreed[name] == value:
            continue  # nothing new: this is how an echo without a user check dies out
        if OWNER[name] == change.system or name not in agreed:
            forward[name] = value
            con.execute("INSERT OR REPLACE INTO account_agreed VALUES (?, ?, ?)", [canonical, name, value])
        else:
            revert[name] = agreed[name]
            con.execute(
                "INSERT INTO sync_conflicts VALUES (?, ?, ?, ?, ?)",
                [canonical, change.system, name, value, agreed[name]],
            )
    plan = Plan()
    if forward:
        plan.writes.append(Write(other, other_id, forward, canonical))
    if revert:
        plan.writes.append(Write(change.system, change.record_id, revert, canonical))
    if not plan.writes:
        # Values, not the last-modified-by user, decide: a user check alone would hide
        # a person's edit that landed between the sync's write and this read.
        plan.skipped = "echo of the sync's own write" if change.by_integration else "no field changed"
    return plan


# --8<-- [end:rules]


# --8<-- [start:io]
def salesforce_changes(
    client: httpx.Client, since: str, integration_user: str, **send_options: Any
) -> Iterator[Change]:
    """Accounts changed since ``since`` (SOQL datetime), deleted ones included."""
    soql = (
        "SELECT Id, Name, Phone, Credit_Limit__c, Payment_Terms__c, IsDeleted, LastModifiedById "
        f"FROM Account WHERE SystemModstamp > {since} ORDER BY SystemModstamp, Id"
    )
    for row in query(client, soql, include_deleted=True, **send_options):
        values = {name: row.get(api) for name, api in FIELDS["salesforce"].items()}
        yield Change(
            "salesforce", row["Id"], values, row["LastModifiedById"] == integration_user, row["IsDeleted"]
        )


def netsuite_changes(
    client: httpx.Client, since: str, integration_user: str, **send_options: Any
) -> Iterator[Change]:
    """Customers modified since ``since`` (``YYYY-MM-DD HH24:MI:SS``)."""
    for row in changed_since(client, "customer", since, **send_options):
        values = {name: row.get(api) for name, api in FIELDS["netsuite"].items()}
        by_us = str(row.get("lastmodifiedby")) == integration_user
        yield Change("netsuite", str(row["id"]), values, by_us, row.get("isinactive") == "T")


def apply_write(
    clients: dict[str, httpx.Client], con: duckdb.DuckDBPyConnection, write: Write, **send_options: Any
) -> str:
    """Send one write; a create records the new id in the crosswalk. Returns the record id."""
    client = clients[write.system]
    if write.system == "salesforce":
        body = (
            {"Active__c": False}
            if "inactive" in write.values
            else {FIELDS["salesforce"][k]: v for k, v in write.values.items()}
        )
        base = "/services/data/v62.0/sobjects/Account"
    else:
        body = (
            {"isInactive": True}
            if "inactive" in write.values
            else {FIELDS["netsuite"][k]: v for k, v in write.values.items()}
        )
        base = "/services/rest/record/v1/customer"
    if write.record_id is None:
        response = send(client, client.build_request("POST", base, json=body), **send_options)
        # Salesforce answers with the id; NetSuite with a Location header ending in it.
        new_id = (
            response.json()["id"]
            if write.system == "salesforce"
            else response.headers["Location"].rsplit("/", 1)[1]
        )
        con.execute(
            "INSERT INTO entity_crosswalk VALUES ('account', ?, ?, ?, 'created_by_sync', 1.00)",
            [write.canonical_id, write.system, new_id],
        )
        return new_id
    send(client, client.build_request("PATCH", f"{base}/{write.record_id}", json=body), **send_options)
    return write.record_id


def sync_once(
    clients: dict[str, httpx.Client],
    con: duckdb.DuckDBPyConnection,
    *,
    since: dict[str, str],
    integration_users: dict[str, str],
    sleep: Callable[[float], None] = time.sleep,
) -> list[Write]:
    """Read each side's changes, plan them, apply the writes; return what was written."""
    written = []
    # One side at a time: the second side is read after the first side's writes,
    # so it never sees values the sync has already replaced.
    for system, read in (("salesforce", salesforce_changes), ("netsuite", netsuite_changes)):
        for change in list(read(clients[system], since[system], integration_users[system], sleep=sleep)):
            for write in plan_change(con, change).writes:
                apply_write(clients, con, write, sleep=sleep)
                written.append(write)
    return written


# --8<-- [end:io]
