import json

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.connectors.workday import access_token, rest_collection, run_report

WORKERS = "/ccx/api/staffing/v6/acme_impl1/workers"


@pytest.fixture
def client(httpserver: HTTPServer):
    with httpx.Client(base_url=httpserver.url_for("/")) as c:
        yield c


def test_access_token_uses_the_refresh_token_grant(httpserver: HTTPServer, client: httpx.Client):
    def handler(request: Request) -> Response:
        assert request.authorization.username == "client-id"
        assert request.form.to_dict() == {"grant_type": "refresh_token", "refresh_token": "rt"}
        return Response('{"access_token": "at", "token_type": "Bearer"}', content_type="application/json")

    httpserver.expect_request("/ccx/oauth2/acme_impl1/token", method="POST").respond_with_handler(handler)
    assert access_token(client, "acme_impl1", "client-id", "secret", "rt") == "at"


def test_rest_collection_pages_by_offset_once_each(httpserver: HTTPServer, client: httpx.Client):
    workers = [{"id": f"w{i}"} for i in range(5)]
    offsets = []

    def handler(request: Request) -> Response:
        offset, limit = int(request.args["offset"]), int(request.args["limit"])
        offsets.append(offset)
        return Response(
            json.dumps({"data": workers[offset : offset + limit], "total": 5}),
            content_type="application/json",
        )

    httpserver.expect_request(WORKERS).respond_with_handler(handler)
    got = [w["id"] for w in rest_collection(client, "acme_impl1", "staffing/v6/workers", page_size=2)]
    assert got == [f"w{i}" for i in range(5)]
    assert offsets == [0, 2, 4]


def test_rest_collection_empty_and_malformed(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_oneshot_request(WORKERS).respond_with_json({"data": [], "total": 0})
    assert list(rest_collection(client, "acme_impl1", "staffing/v6/workers")) == []
    httpserver.expect_oneshot_request(WORKERS).respond_with_json({"error": "invalid request", "errors": []})
    with pytest.raises(ValueError):
        list(rest_collection(client, "acme_impl1", "staffing/v6/workers"))


def test_rest_collection_stops_if_total_shrinks_to_an_empty_page(
    httpserver: HTTPServer, client: httpx.Client
):
    httpserver.expect_ordered_request(WORKERS).respond_with_json({"data": [{"id": "a"}], "total": 3})
    httpserver.expect_ordered_request(WORKERS).respond_with_json({"data": [], "total": 3})
    assert [w["id"] for w in rest_collection(client, "acme_impl1", "staffing/v6/workers")] == ["a"]
    assert len(httpserver.log) == 2


def test_run_report_passes_prompts_and_format(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_oneshot_request(
        "/ccx/service/customreport2/acme_impl1/ISU_Extract/Worker_Changes",
        query_string={"Updated_From": "2026-11-24T00:00:00Z", "format": "json"},
    ).respond_with_json({"Report_Entry": [{"Employee_ID": "21001"}]})
    rows = run_report(
        client, "acme_impl1", "ISU_Extract", "Worker_Changes", {"Updated_From": "2026-11-24T00:00:00Z"}
    )
    assert rows == [{"Employee_ID": "21001"}]
    httpserver.check_assertions()


def test_run_report_backs_off_then_rejects_malformed(httpserver: HTTPServer, client: httpx.Client):
    path = "/ccx/service/customreport2/acme_impl1/ISU_Extract/Big"
    httpserver.expect_ordered_request(path).respond_with_data(
        "busy", status=503, headers={"Retry-After": "10"}
    )
    httpserver.expect_ordered_request(path).respond_with_json({"not": "a report"})
    waits = []
    with pytest.raises(ValueError):
        run_report(client, "acme_impl1", "ISU_Extract", "Big", {}, sleep=waits.append)
    assert waits == [10.0]
