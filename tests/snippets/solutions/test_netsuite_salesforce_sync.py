"""Two-way account sync between a local Salesforce and a local NetSuite stand-in, end to end.

Both fakes keep state and a change feed, answer the documented shapes (SOQL
queryAll, sObject create/update, SuiteQL, REST record create with a Location
header, update with 204, a 429 with Retry-After) and stamp who made each change,
so echoes of the sync's own writes come back exactly as they would.
"""

from __future__ import annotations

import json
import re

import duckdb
import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.solutions.netsuite_salesforce_sync import Change, plan_change, sync_once

SF_USER, NS_USER = "005INTEGRATION", "-77"  # the sync's own users in each system
SINCE = {"salesforce": "2026-11-30T00:00:00Z", "netsuite": "2026-11-30 00:00:00"}
USERS = {"salesforce": SF_USER, "netsuite": NS_USER}


class Fakes:
    def __init__(self) -> None:
        self.sf: dict[str, dict] = {}
        self.ns: dict[str, dict] = {}
        self.sf_feed: list[str] = []
        self.ns_feed: list[str] = []
        self.ns_throttle = 0
        self.writes = {"salesforce": 0, "netsuite": 0}

    # people editing in the systems
    def sf_user_edit(self, record_id: str, **fields) -> None:
        row = self.sf.setdefault(record_id, {"Id": record_id, "IsDeleted": False, "Active__c": True})
        row.update(fields, LastModifiedById="005HUMAN")
        self.sf_feed.append(record_id)

    def ns_user_edit(self, record_id: str, user: str = "42", **fields) -> None:
        self.ns[record_id].update(fields, lastmodifiedby=user)
        self.ns_feed.append(record_id)

    # the APIs
    def sf_query(self, request: Request) -> Response:
        records = [{"attributes": {"type": "Account"}, **self.sf[i]} for i in dict.fromkeys(self.sf_feed)]
        self.sf_feed.clear()
        return Response(
            json.dumps({"totalSize": len(records), "done": True, "records": records}),
            content_type="application/json",
        )

    def sf_create(self, request: Request) -> Response:
        self.writes["salesforce"] += 1
        new_id = f"001N{len(self.sf):03}"
        self.sf[new_id] = {
            "Id": new_id,
            "IsDeleted": False,
            "Active__c": True,
            **json.loads(request.data),
            "LastModifiedById": SF_USER,
        }
        self.sf_feed.append(new_id)
        return Response(
            json.dumps({"id": new_id, "success": True, "errors": []}),
            status=201,
            content_type="application/json",
        )

    def sf_update(self, request: Request) -> Response:
        self.writes["salesforce"] += 1
        record_id = request.path.rsplit("/", 1)[1]
        self.sf[record_id].update(json.loads(request.data), LastModifiedById=SF_USER)
        self.sf_feed.append(record_id)
        return Response(status=204)

    def ns_suiteql(self, request: Request) -> Response:
        items = [dict(self.ns[i]) for i in dict.fromkeys(self.ns_feed)]
        self.ns_feed.clear()
        return Response(
            json.dumps({"items": items, "hasMore": False, "count": len(items), "offset": 0}),
            content_type="application/json",
        )

    def ns_create(self, request: Request) -> Response:
        self.writes["netsuite"] += 1
        new_id = str(1000 + len(self.ns))
        body = json.loads(request.data)
        self.ns[new_id] = {"id": new_id, "isinactive": "F", **body, "lastmodifiedby": NS_USER}
        self.ns_feed.append(new_id)
        return Response(
            status=204,
            headers={
                "Location": f"https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer/{new_id}"
            },
        )

    def ns_update(self, request: Request) -> Response:
        if self.ns_throttle:
            self.ns_throttle -= 1
            return Response(
                json.dumps({"title": "Too Many Requests", "status": 429}),
                status=429,
                headers={"Retry-After": "3"},
                content_type="application/json",
            )
        self.writes["netsuite"] += 1
        record_id = request.path.rsplit("/", 1)[1]
        body = json.loads(request.data)
        if body.pop("isInactive", None):
            body["isinactive"] = "T"
        self.ns[record_id].update(body, lastmodifiedby=NS_USER)
        self.ns_feed.append(record_id)
        return Response(status=204)


@pytest.fixture
def fakes(httpserver: HTTPServer) -> Fakes:
    f = Fakes()
    httpserver.expect_request("/services/data/v62.0/queryAll").respond_with_handler(f.sf_query)
    httpserver.expect_request("/services/data/v62.0/sobjects/Account", method="POST").respond_with_handler(
        f.sf_create
    )
    httpserver.expect_request(
        re.compile(r"^/services/data/v62\.0/sobjects/Account/\w+$"), method="PATCH"
    ).respond_with_handler(f.sf_update)
    httpserver.expect_request("/services/rest/query/v1/suiteql", method="POST").respond_with_handler(
        f.ns_suiteql
    )
    httpserver.expect_request("/services/rest/record/v1/customer", method="POST").respond_with_handler(
        f.ns_create
    )
    httpserver.expect_request(
        re.compile(r"^/services/rest/record/v1/customer/\d+$"), method="PATCH"
    ).respond_with_handler(f.ns_update)
    return f


@pytest.fixture
def run(httpserver: HTTPServer):
    con = duckdb.connect()
    waits: list[float] = []
    with (
        httpx.Client(base_url=httpserver.url_for("/")) as sf,
        httpx.Client(base_url=httpserver.url_for("/")) as ns,
    ):
        clients = {"salesforce": sf, "netsuite": ns}

        def once():
            return sync_once(clients, con, since=SINCE, integration_users=USERS, sleep=waits.append)

        once.con, once.waits = con, waits
        yield once
    con.close()


def test_a_new_account_is_created_once_and_its_echo_does_not_loop(fakes: Fakes, run) -> None:
    fakes.sf_user_edit("001A", Name="Acme", Phone="+1 555 0100")
    written = run()
    assert [(w.system, w.record_id) for w in written] == [("netsuite", None)]
    (ns_id,) = fakes.ns
    assert fakes.ns[ns_id]["companyname"] == "Acme" and fakes.ns[ns_id]["phone"] == "+1 555 0100"
    assert run.con.execute("SELECT source_system, source_id FROM entity_crosswalk ORDER BY 1").fetchall() == [
        ("netsuite", ns_id),
        ("salesforce", "001A"),
    ]
    # The NetSuite feed now shows the record the sync created: an echo, nothing is written.
    assert run() == [] and run() == []
    assert fakes.writes == {"salesforce": 0, "netsuite": 1}


def test_each_field_flows_from_its_owner_and_a_non_owner_edit_is_reverted(fakes: Fakes, run) -> None:
    fakes.sf_user_edit("001A", Name="Acme", Phone="1")
    run()
    (ns_id,) = fakes.ns
    fakes.ns_user_edit(ns_id, creditlimit="5000", terms="Net 30")  # NetSuite owns these
    fakes.sf_user_edit("001A", Name="Acme Corp")  # Salesforce owns the name
    run()
    assert fakes.ns[ns_id]["companyname"] == "Acme Corp"
    assert fakes.sf["001A"]["Credit_Limit__c"] == "5000" and fakes.sf["001A"]["Payment_Terms__c"] == "Net 30"
    # A sales rep raises the credit limit in Salesforce: NetSuite owns it, so it goes back.
    fakes.sf_user_edit("001A", Credit_Limit__c="99999")
    run()
    assert fakes.sf["001A"]["Credit_Limit__c"] == "5000"
    assert fakes.ns[ns_id]["creditlimit"] == "5000"
    assert run.con.execute("SELECT system, field, attempted, kept FROM sync_conflicts").fetchall() == [
        ("salesforce", "credit_limit", "99999", "5000")
    ]
    before = dict(fakes.writes)
    assert run() == []  # all echoes
    assert fakes.writes == before


def test_an_echo_without_the_integration_user_dies_out_on_equal_values(fakes: Fakes, run) -> None:
    fakes.sf_user_edit("001A", Name="Acme", Phone="1")
    run()
    (ns_id,) = fakes.ns
    fakes.ns_user_edit(ns_id, user="99")  # a NetSuite workflow touched the record, no value changed
    assert run() == []


def test_a_salesforce_delete_deactivates_the_netsuite_customer(fakes: Fakes, run) -> None:
    fakes.sf_user_edit("001A", Name="Acme", Phone="1")
    run()
    (ns_id,) = fakes.ns
    fakes.sf_user_edit("001A", IsDeleted=True)
    run()
    assert ns_id in fakes.ns and fakes.ns[ns_id]["isinactive"] == "T"


def test_a_netsuite_throttle_is_waited_out(fakes: Fakes, run) -> None:
    fakes.sf_user_edit("001A", Name="Acme", Phone="1")
    run()
    fakes.ns_throttle = 1
    fakes.sf_user_edit("001A", Phone="2")
    run()
    (ns_id,) = fakes.ns
    assert fakes.ns[ns_id]["phone"] == "2" and run.waits == [3.0]


def test_netsuite_created_customer_reaches_salesforce(fakes: Fakes, run) -> None:
    fakes.ns["2001"] = {"id": "2001", "isinactive": "F"}
    fakes.ns_user_edit("2001", companyname="Globex", phone="3", creditlimit="100", terms="Net 15")
    written = run()
    assert [(w.system, w.record_id) for w in written] == [("salesforce", None)]
    (sf_id,) = fakes.sf
    assert fakes.sf[sf_id]["Name"] == "Globex" and fakes.sf[sf_id]["Credit_Limit__c"] == "100"
    assert run() == []


def test_planning_rules_without_any_io() -> None:
    con = duckdb.connect()
    assert plan_change(con, Change("salesforce", "001Z", {}, by_integration=True)).skipped.startswith("echo")
    assert (
        plan_change(con, Change("salesforce", "001Y", {}, deleted=True)).skipped
        == "deleted before it was ever synced"
    )
    assert plan_change(con, Change("netsuite", "7", {})).skipped == "no field changed"
    con.close()
