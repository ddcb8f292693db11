"""Workday workers to a downstream identity system over SCIM, effective-dated.

The RaaS call is the Workday connector snippet's. This guide adds what makes
HR data safe to act on: a check that the report carries only the fields the
integration needs, a queue for changes that take effect later, rescinds that
cancel them, and terminations that deactivate accounts instead of deleting them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import httpx

from snippets.connectors.rate_limits import send
from snippets.connectors.workday import run_report

# --8<-- [start:fields]
ALLOWED_FIELDS = {
    "Employee_ID", "Worker_Status", "Effective_Date", "Email", "Given_Name", "Family_Name",
    "Department", "Manager_ID", "Rescinded",
}  # fmt: skip


class LeastPrivilegeViolation(Exception):
    """The report returns fields this integration must not receive."""


def check_fields(rows: list[dict[str, Any]]) -> None:
    """Refuse the whole extract if the report exposes more than the integration needs."""
    extra = sorted({name for row in rows for name in row} - ALLOWED_FIELDS)
    if extra:
        raise LeastPrivilegeViolation(f"report returns fields outside the allowed set: {extra}")


# --8<-- [end:fields]


# --8<-- [start:plan]
PENDING_DDL = """
CREATE TABLE IF NOT EXISTS worker_pending (       -- changes that take effect later
    employee_id VARCHAR, effective_date DATE, payload VARCHAR,
    PRIMARY KEY (employee_id, effective_date)
);
CREATE TABLE IF NOT EXISTS worker_accounts (      -- what the identity system holds, by worker
    employee_id VARCHAR PRIMARY KEY, scim_id VARCHAR, active BOOLEAN, applied_effective DATE
);
"""


@dataclass
class RunReport:
    applied: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def queue_rows(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], report: RunReport) -> None:
    """Store each row under its effective date; a rescind removes the change it cancels."""
    con.execute(PENDING_DDL)
    for row in rows:
        worker, effective = row.get("Employee_ID"), row.get("Effective_Date")
        if not worker or not effective:
            report.rejected.append(json.dumps(row, sort_keys=True)[:200])
            continue
        if row.get("Rescinded") == "1":
            deleted = con.execute(
                "DELETE FROM worker_pending WHERE employee_id = ? AND effective_date = ?"
                " RETURNING employee_id",
                [worker, effective],
            ).fetchall()
            if deleted:
                report.cancelled.append(worker)
            continue
        con.execute(
            "INSERT OR REPLACE INTO worker_pending VALUES (?, ?, ?)", [worker, effective, json.dumps(row)]
        )


def due_changes(con: duckdb.DuckDBPyConnection, today: date) -> list[dict[str, Any]]:
    """Changes effective today or earlier, oldest first; later ones stay queued."""
    rows = con.execute(
        "SELECT payload FROM worker_pending WHERE effective_date <= ? ORDER BY effective_date, employee_id",
        [today],
    ).fetchall()
    return [json.loads(payload) for (payload,) in rows]


# --8<-- [end:plan]


# --8<-- [start:scim]
def scim_user(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": row["Email"],
        "externalId": row["Employee_ID"],
        "name": {"givenName": row.get("Given_Name"), "familyName": row.get("Family_Name")},
        "active": row["Worker_Status"] != "Terminated",
    }


def apply_due(
    scim: httpx.Client, con: duckdb.DuckDBPyConnection, today: date, report: RunReport, **send_options: Any
) -> None:
    """Create, update or deactivate accounts for every change now in effect. Never delete."""
    for row in due_changes(con, today):
        worker = row["Employee_ID"]
        known = con.execute("SELECT scim_id FROM worker_accounts WHERE employee_id = ?", [worker]).fetchone()
        body = scim_user(row)
        if known is None:
            request = scim.build_request("POST", "/scim/v2/Users", json=body)
            scim_id = send(scim, request, **send_options).json()["id"]
        else:
            scim_id = known[0]
            patch = {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "value": {"active": body["active"], "name": body["name"]}}],
            }
            send(scim, scim.build_request("PATCH", f"/scim/v2/Users/{scim_id}", json=patch), **send_options)
        con.execute(
            "INSERT OR REPLACE INTO worker_accounts VALUES (?, ?, ?, ?)",
            [worker, scim_id, body["active"], row["Effective_Date"]],
        )
        con.execute(
            "DELETE FROM worker_pending WHERE employee_id = ? AND effective_date = ?",
            [worker, row["Effective_Date"]],
        )
        report.applied.append(worker)


def daily_run(
    workday: httpx.Client,
    scim: httpx.Client,
    con: duckdb.DuckDBPyConnection,
    *,
    today: date,
    updated_from: str,
    tenant: str = "acme",
    sleep: Callable[[float], None] = time.sleep,
) -> RunReport:
    """Extract changes, check the fields, queue them by effective date, apply what is due."""
    rows = run_report(
        workday, tenant, "ISU_Identity", "Worker_Changes", {"Updated_From": updated_from}, sleep=sleep
    )
    check_fields(rows)  # before anything is stored or sent
    report = RunReport()
    queue_rows(con, rows, report)
    apply_due(scim, con, today, report, sleep=sleep)
    report.held = [w for (w,) in con.execute("SELECT employee_id FROM worker_pending ORDER BY 1").fetchall()]
    return report


# --8<-- [end:scim]
