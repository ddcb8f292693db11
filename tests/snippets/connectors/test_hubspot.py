import base64
import hashlib
import hmac
import json

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import snippets.connectors.hubspot as hubspot
from snippets.connectors.hubspot import (
    BadSignature,
    list_objects,
    modified_since,
    private_app_client,
    verify_v3,
)

SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
URI = "https://example.com/hubspot/webhook?portal=42"
BODY = b'[{"eventId":1,"subscriptionType":"contact.deletion","objectId":123}]'
TS = "1764072000000"


def sign(secret=SECRET, method="POST", uri=URI, body=BODY, ts=TS):
    msg = f"{method}{uri}".encode() + body + ts.encode()
    return base64.b64encode(hmac.new(secret.encode(), msg, hashlib.sha256).digest()).decode()


def test_v3_accepts_a_valid_signature():
    verify_v3(SECRET, "POST", URI, BODY, TS, sign(), now_ms=int(TS) + 1000)
    verify_v3(SECRET, "post", URI, BODY, TS, sign(), now_ms=int(TS) + 300_000)


@pytest.mark.parametrize(
    "case",
    [
        {"signature": sign(secret="forged")},
        {"signature": sign(uri="https://example.com/hubspot/webhook")},  # query string dropped
        {"signature": sign(body=BODY.replace(b"123", b"124"))},
        {"now_ms": int(TS) + 300_001},  # stale
        {"now_ms": int(TS) - 300_001},  # from the future
        {"timestamp": "yesterday"},  # malformed
        {"signature": "not base64 at all"},
    ],
)
def test_v3_rejects_forged_stale_and_malformed(case):
    args = {"signature": sign(), "now_ms": int(TS), "timestamp": TS} | case
    with pytest.raises(BadSignature):
        verify_v3(SECRET, "POST", URI, BODY, args["timestamp"], args["signature"], now_ms=args["now_ms"])


def test_list_objects_pages_with_after_and_sends_the_token(httpserver: HTTPServer):
    def handler(request: Request) -> Response:
        assert request.headers["Authorization"] == "Bearer pat-na1-test"
        assert request.args["properties"] == "email,firstname"
        if request.args.get("after") == "2":
            body = {"results": [{"id": "3"}]}
        else:
            body = {"results": [{"id": "1"}, {"id": "2"}], "paging": {"next": {"after": "2", "link": "..."}}}
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/crm/v3/objects/contacts").respond_with_handler(handler)
    with private_app_client("pat-na1-test", httpserver.url_for("/")) as client:
        got = [r["id"] for r in list_objects(client, "contacts", ["email", "firstname"])]
    assert got == ["1", "2", "3"]
    assert [e[0].args.get("after") for e in httpserver.log] == [None, "2"]


def test_list_objects_archived_and_malformed(httpserver: HTTPServer):
    httpserver.expect_oneshot_request(
        "/crm/v3/objects/deals", query_string={"limit": "100", "properties": "dealname", "archived": "true"}
    ).respond_with_json({"results": [{"id": "9", "archived": True, "archivedAt": "2026-11-24T10:00:00Z"}]})
    httpserver.expect_oneshot_request("/crm/v3/objects/tickets").respond_with_json({"status": "error"})
    with private_app_client("t", httpserver.url_for("/")) as client:
        assert [r["id"] for r in list_objects(client, "deals", ["dealname"], archived=True)] == ["9"]
        with pytest.raises(ValueError):
            list(list_objects(client, "tickets", []))


def test_list_objects_honours_retry_after(httpserver: HTTPServer):
    httpserver.expect_ordered_request("/crm/v3/objects/contacts").respond_with_json(
        {"status": "error", "policyName": "TEN_SECONDLY_ROLLING"}, status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request("/crm/v3/objects/contacts").respond_with_json({"results": []})
    waits = []
    with private_app_client("t", httpserver.url_for("/")) as client:
        assert list(list_objects(client, "contacts", [], sleep=waits.append)) == []
    assert waits == [1.0]


def rec(i, ts):
    return {"id": str(i), "properties": {"hs_lastmodifieddate": str(ts)}}


def test_modified_since_re_anchors_at_the_search_ceiling(httpserver: HTTPServer, monkeypatch):
    monkeypatch.setattr(hubspot, "SEARCH_CEILING", 4)
    monkeypatch.setattr(hubspot, "PAGE_SIZE", 2)
    # 6 records, timestamps ascending; the ceiling of 4 forces a second query.
    data = [rec(1, 100), rec(2, 110), rec(3, 120), rec(4, 130), rec(5, 130), rec(6, 140)]
    queries = []

    def handler(request: Request) -> Response:
        body = json.loads(request.data)
        anchor = int(body["filterGroups"][0]["filters"][0]["value"])
        offset = int(body.get("after", 0))
        queries.append((anchor, offset))
        matching = [r for r in data if int(r["properties"]["hs_lastmodifieddate"]) >= anchor]
        size = body["limit"]
        page = {"total": len(matching), "results": matching[offset : offset + size]}
        if offset + size < len(matching):
            page["paging"] = {"next": {"after": str(offset + size)}}
        return Response(json.dumps(page), content_type="application/json")

    httpserver.expect_request("/crm/v3/objects/contacts/search", method="POST").respond_with_handler(handler)
    with private_app_client("t", httpserver.url_for("/")) as client:
        got = [r["id"] for r in modified_since(client, "contacts", 100, ["email"])]
    assert got == ["1", "2", "3", "4", "5", "6"]  # every record once, in order
    assert queries[0] == (100, 0)
    assert queries == [(100, 0), (100, 2), (130, 0), (130, 2)]  # re-anchored on the last timestamp read
    assert len(queries) == len(set(queries))  # no page fetched twice


def test_modified_since_with_no_changes(httpserver: HTTPServer):
    httpserver.expect_request("/crm/v3/objects/companies/search").respond_with_json(
        {"total": 0, "results": []}
    )
    with private_app_client("t", httpserver.url_for("/")) as client:
        assert list(modified_since(client, "companies", 1, [])) == []
    assert len(httpserver.log) == 1


def test_modified_since_refuses_to_loop_on_one_crowded_timestamp(httpserver: HTTPServer, monkeypatch):
    monkeypatch.setattr(hubspot, "SEARCH_CEILING", 2)
    monkeypatch.setattr(hubspot, "PAGE_SIZE", 1)

    def handler(request: Request) -> Response:
        offset = int(json.loads(request.data).get("after", 0))
        return Response(
            json.dumps({"results": [rec(offset, 500)], "paging": {"next": {"after": str(offset + 1)}}}),
            content_type="application/json",
        )

    httpserver.expect_request("/crm/v3/objects/contacts/search").respond_with_handler(handler)
    with private_app_client("t", httpserver.url_for("/")) as client, pytest.raises(RuntimeError):
        list(modified_since(client, "contacts", 500, []))
