"""Workday RaaS -> effective-dated queue -> SCIM identity system, end to end over three days.

A local HTTP server answers the RaaS report (JSON, as the Workday connector
snippet reads it) and a SCIM 2.0 Users endpoint that keeps state and throttles
once; DuckDB holds the queue and the account map; the run date is injected.
"""

from __future__ import annotations

import json
import re
from datetime import date

import duckdb
import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.solutions.workday_downstream import LeastPrivilegeViolation, daily_run

REPORT = "/ccx/service/customreport2/acme/ISU_Identity/Worker_Changes"


def worker(emp: str, status: str, effective: str, **extra: str) -> dict[str, str]:
    return {
        "Employee_ID": emp,
        "Worker_Status": status,
        "Effective_Date": effective,
        "Email": f"{emp.lower()}@example.org",
        "Given_Name": "Ada",
        "Family_Name": emp,
        **extra,
    }


class Scim:
    def __init__(self) -> None:
        self.users: dict[str, dict] = {}
        self.throttle = 0
        self.deletes = 0

    def create(self, request: Request) -> Response:
        if self.throttle:
            self.throttle -= 1
            return Response(
                "{}", status=429, headers={"Retry-After": "2"}, content_type="application/scim+json"
            )
        body = json.loads(request.data)
        scim_id = f"u{len(self.users) + 1}"
        self.users[scim_id] = body
        return Response(json.dumps({**body, "id": scim_id}), status=201, content_type="application/scim+json")

    def patch(self, request: Request) -> Response:
        scim_id = request.path.rsplit("/", 1)[1]
        for op in json.loads(request.data)["Operations"]:
            self.users[scim_id].update(op["value"])
        return Response(
            json.dumps({**self.users[scim_id], "id": scim_id}), content_type="application/scim+json"
        )

    def delete(self, request: Request) -> Response:
        self.deletes += 1
        return Response(status=204)


@pytest.fixture
def scim(httpserver: HTTPServer) -> Scim:
    fake = Scim()
    httpserver.expect_request("/scim/v2/Users", method="POST").respond_with_handler(fake.create)
    httpserver.expect_request(re.compile(r"^/scim/v2/Users/\w+$"), method="PATCH").respond_with_handler(
        fake.patch
    )
    httpserver.expect_request(re.compile(r"^/scim/v2/Users/\w+$"), method="DELETE").respond_with_handler(
        fake.delete
    )
    return fake


def serve_report(httpserver: HTTPServer, rows: list[dict]) -> None:
    httpserver.expect_oneshot_request(REPORT).respond_with_json({"Report_Entry": rows})


def run(httpserver: HTTPServer, con, today: date, waits: list[float] | None = None):
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        return daily_run(
            client,
            client,
            con,
            today=today,
            updated_from="2026-11-29T00:00:00",
            sleep=(waits if waits is not None else []).append,
        )


def test_hires_terminations_and_rescinds_take_effect_on_their_dates(
    httpserver: HTTPServer, scim: Scim
) -> None:
    con = duckdb.connect()
    serve_report(
        httpserver,
        [
            worker("E1", "Active", "2026-11-30"),  # hired today
            worker("E2", "Active", "2026-12-01"),  # starts tomorrow
            worker("E3", "Active", "2026-11-01"),
        ],
    )
    day1 = run(httpserver, con, date(2026, 11, 30))
    assert day1.applied == ["E3", "E1"] and day1.held == ["E2"]
    assert {u["externalId"]: u["active"] for u in scim.users.values()} == {"E1": True, "E3": True}

    serve_report(
        httpserver,
        [
            worker("E2", "Active", "2026-12-01"),  # the report runs again: same row, no harm
            worker("E3", "Terminated", "2026-12-02"),  # last day tomorrow
            worker("E1", "Terminated", "2026-12-05"),
            worker("E1", "Terminated", "2026-12-05", Rescinded="1"),  # and taken back
        ],
    )
    day2 = run(httpserver, con, date(2026, 12, 1))
    assert day2.applied == ["E2"] and day2.cancelled == ["E1"] and day2.held == ["E3"]

    serve_report(httpserver, [])
    day3 = run(httpserver, con, date(2026, 12, 2))
    assert day3.applied == ["E3"] and day3.held == []
    active = {u["externalId"]: u["active"] for u in scim.users.values()}
    assert active == {"E1": True, "E2": True, "E3": False}  # deactivated, never deleted
    assert scim.deletes == 0 and len(scim.users) == 3
    con.close()


def test_extra_fields_stop_the_run_before_anything_is_written(httpserver: HTTPServer, scim: Scim) -> None:
    con = duckdb.connect()
    serve_report(httpserver, [worker("E9", "Active", "2026-11-30", National_ID="123-45-6789")])
    with pytest.raises(LeastPrivilegeViolation, match="National_ID"):
        run(httpserver, con, date(2026, 11, 30))
    assert scim.users == {}
    assert con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'worker_pending'"
    ).fetchone() == (0,)
    con.close()


def test_poison_rows_are_rejected_and_a_throttle_is_waited_out(httpserver: HTTPServer, scim: Scim) -> None:
    con = duckdb.connect()
    scim.throttle = 1
    serve_report(
        httpserver,
        [{"Worker_Status": "Active", "Effective_Date": "2026-11-30"}, worker("E5", "Active", "2026-11-30")],
    )
    waits: list[float] = []
    report = run(httpserver, con, date(2026, 11, 30), waits)
    assert report.applied == ["E5"] and len(report.rejected) == 1
    assert waits == [2.0]
    con.close()
