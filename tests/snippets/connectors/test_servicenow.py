import json

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.connectors.servicenow import extract_changes, table_rows

INCIDENT = "/api/now/table/incident"
AUDIT = "/api/now/table/sys_audit_delete"
Q = "active=true^ORDERBYsys_updated_on^ORDERBYsys_id"


def link_header(base: str, offset: int, limit: int, total: int) -> str:
    links = [f'<{base}?sysparm_offset=0&sysparm_limit={limit}>;rel="first"']
    if offset + limit < total:
        links.append(f'<{base}?sysparm_offset={offset + limit}&sysparm_limit={limit}>;rel="next"')
    links.append(f'<{base}?sysparm_offset={max(total - limit, 0)}&sysparm_limit={limit}>;rel="last"')
    return ",".join(links)


def serve_rows(rows, base):
    offsets = []

    def handler(request: Request) -> Response:
        offset, limit = int(request.args["sysparm_offset"]), int(request.args["sysparm_limit"])
        offsets.append(offset)
        assert request.args["sysparm_display_value"] == "false"
        body = {"result": rows[offset : offset + limit]}
        return Response(
            json.dumps(body),
            content_type="application/json",
            headers={"Link": link_header(base, offset, limit, len(rows)), "X-Total-Count": str(len(rows))},
        )

    return handler, offsets


@pytest.fixture
def client(httpserver: HTTPServer):
    with httpx.Client(base_url=httpserver.url_for("/"), auth=("integration.user", "pw")) as c:
        yield c


def test_pages_by_offset_once_each_until_no_next_link(httpserver: HTTPServer, client: httpx.Client):
    rows = [{"sys_id": f"id{i}"} for i in range(5)]
    handler, offsets = serve_rows(rows, INCIDENT)
    httpserver.expect_request(INCIDENT).respond_with_handler(handler)
    got = list(table_rows(client, "incident", Q, ["sys_id"], page_size=2))
    assert [r["sys_id"] for r in got] == [f"id{i}" for i in range(5)]
    assert offsets == [0, 2, 4]


def test_a_short_page_from_acls_does_not_end_the_read(httpserver: HTTPServer, client: httpx.Client):
    # Page one lost a row to access controls but the Link header still says next.
    httpserver.expect_ordered_request(INCIDENT).respond_with_json(
        {"result": [{"sys_id": "a"}]}, headers={"Link": f'<{INCIDENT}?sysparm_offset=2>;rel="next"'}
    )
    httpserver.expect_ordered_request(INCIDENT).respond_with_json({"result": [{"sys_id": "c"}]})
    assert [r["sys_id"] for r in table_rows(client, "incident", Q, ["sys_id"], page_size=2)] == ["a", "c"]
    assert [e[0].args["sysparm_offset"] for e in httpserver.log] == ["0", "2"]


def test_empty_table_and_malformed_response(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_oneshot_request(INCIDENT).respond_with_json(
        {"result": []}, headers={"Link": f'<{INCIDENT}?sysparm_offset=0>;rel="next"'}
    )
    assert list(table_rows(client, "incident", Q, ["sys_id"])) == []
    httpserver.expect_oneshot_request(INCIDENT).respond_with_json(
        {"error": {"message": "User Not Authenticated"}, "status": "failure"}
    )
    with pytest.raises(ValueError):
        list(table_rows(client, "incident", Q, ["sys_id"]))


def test_rate_limit_rule_429_is_retried(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_ordered_request(INCIDENT).respond_with_json(
        {"error": {"message": "Rate limit exceeded"}},
        status=429,
        headers={"Retry-After": "4", "X-RateLimit-Limit": "100", "X-RateLimit-Reset": "1764072004"},
    )
    httpserver.expect_ordered_request(INCIDENT).respond_with_json({"result": [{"sys_id": "x"}]})
    waits = []
    assert [r["sys_id"] for r in table_rows(client, "incident", Q, ["sys_id"], sleep=waits.append)] == ["x"]
    assert waits == [4.0]


def test_extract_changes_reads_updates_and_deletes(httpserver: HTTPServer, client: httpx.Client):
    queries = {}

    def incidents(request: Request) -> Response:
        queries["incident"] = request.args["sysparm_query"]
        return Response(
            json.dumps({"result": [{"sys_id": "i1", "sys_updated_on": "2026-11-24 10:00:00"}]}),
            content_type="application/json",
        )

    def audit(request: Request) -> Response:
        queries["audit"] = request.args["sysparm_query"]
        return Response(
            json.dumps({"result": [{"documentkey": "i9", "sys_created_on": "2026-11-24 11:00:00"}]}),
            content_type="application/json",
        )

    httpserver.expect_request(INCIDENT).respond_with_handler(incidents)
    httpserver.expect_request(AUDIT).respond_with_handler(audit)
    changes = extract_changes(
        client, "incident", ["short_description"], "2026-11-24 00:00:00", "2026-11-25 00:00:00"
    )
    assert [r["sys_id"] for r in changes.upserts] == ["i1"]
    assert changes.deleted_ids == ["i9"]
    assert changes.cursor == "2026-11-25 00:00:00"
    assert queries["incident"] == (
        "sys_updated_on>=2026-11-24 00:00:00^sys_updated_on<2026-11-25 00:00:00"
        "^ORDERBYsys_updated_on^ORDERBYsys_id"
    )
    assert queries["audit"].startswith("tablename=incident^sys_created_on>=2026-11-24 00:00:00")


def test_extract_changes_rejects_a_bad_cursor(client: httpx.Client):
    with pytest.raises(ValueError):
        extract_changes(client, "incident", [], "24/11/2026 00:00", "2026-11-25 00:00:00")
