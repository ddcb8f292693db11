import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.connectors.netsuite import NetSuiteTBA, changed_since, suiteql

PATH = "/services/rest/query/v1/suiteql"


def enc(value: str) -> str:
    return quote(value, safe="-._~")


def expected_signature(
    method: str, url: str, oauth: dict[str, str], consumer_secret: str, token_secret: str
) -> str:
    """RFC 5849 section 3.4, written out independently of oauthlib."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query) + [
        (k, v) for k, v in oauth.items() if k not in ("oauth_signature", "realm")
    ]
    normalized = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted((enc(k), enc(v)) for k, v in params))
    base_url = f"{parts.scheme}://{parts.netloc}{parts.path}"
    base = "&".join([method.upper(), enc(base_url), enc(normalized)])
    key = f"{enc(consumer_secret)}&{enc(token_secret)}".encode()
    return base64.b64encode(hmac.new(key, base.encode(), hashlib.sha256).digest()).decode()


def parse_header(value: str) -> dict[str, str]:
    assert value.startswith("OAuth ")
    pairs = (item.strip().split("=", 1) for item in value[len("OAuth ") :].split(","))
    return {k: unquote(v.strip('"')) for k, v in pairs}


def test_tba_header_matches_an_independent_rfc5849_signature():
    auth = NetSuiteTBA("1234567-sb1", "ck", "cs+/=", "tid", "ts&", nonce="abc123", timestamp="1764072000")
    request = httpx.Request(
        "POST",
        "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql?limit=2&offset=0",
        json={"q": "SELECT id FROM customer"},
    )
    signed = next(auth.auth_flow(request))
    oauth = parse_header(signed.headers["Authorization"])
    assert oauth["realm"] == "1234567_SB1"
    assert oauth["oauth_signature_method"] == "HMAC-SHA256"
    assert oauth["oauth_nonce"] == "abc123" and oauth["oauth_timestamp"] == "1764072000"
    assert oauth["oauth_consumer_key"] == "ck" and oauth["oauth_token"] == "tid"
    assert oauth["oauth_signature"] == expected_signature("POST", str(request.url), oauth, "cs+/=", "ts&")


def test_tba_signature_changes_with_the_secret():
    url = "https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer"
    a = NetSuiteTBA("1234567", "ck", "cs", "tid", "ts", nonce="n", timestamp="1")
    b = NetSuiteTBA("1234567", "ck", "cs", "tid", "forged", nonce="n", timestamp="1")
    sig_a = parse_header(next(a.auth_flow(httpx.Request("GET", url))).headers["Authorization"])[
        "oauth_signature"
    ]
    sig_b = parse_header(next(b.auth_flow(httpx.Request("GET", url))).headers["Authorization"])[
        "oauth_signature"
    ]
    assert sig_a != sig_b


def page(items, has_more, offset):
    return {
        "links": [],
        "count": len(items),
        "hasMore": has_more,
        "offset": offset,
        "totalResults": 5,
        "items": [{"links": [], **item} for item in items],
    }


def test_suiteql_pages_once_each_and_signs_every_request(httpserver: HTTPServer):
    calls = []

    def handler(request: Request) -> Response:
        oauth = parse_header(request.headers["Authorization"])
        assert oauth["oauth_signature"] == expected_signature("POST", request.url, oauth, "cs", "ts")
        assert request.headers["Prefer"] == "transient"
        assert json.loads(request.data) == {"q": "SELECT id FROM customer ORDER BY id"}
        offset = int(request.args["offset"])
        calls.append(offset)
        rows = [{"id": str(i)} for i in range(offset, min(offset + 2, 5))]
        return Response(json.dumps(page(rows, offset + 2 < 5, offset)), content_type="application/json")

    httpserver.expect_request(PATH, method="POST").respond_with_handler(handler)
    auth = NetSuiteTBA("1234567", "ck", "cs", "tid", "ts")
    with httpx.Client(base_url=httpserver.url_for("/"), auth=auth) as client:
        rows = list(suiteql(client, "SELECT id FROM customer ORDER BY id", page_size=2))
    assert [r["id"] for r in rows] == ["0", "1", "2", "3", "4"]
    assert all("links" not in r for r in rows)
    assert calls == [0, 2, 4]


def test_suiteql_stops_on_an_empty_page(httpserver: HTTPServer):
    httpserver.expect_ordered_request(PATH).respond_with_json(page([{"id": "1"}], True, 0))
    httpserver.expect_ordered_request(PATH).respond_with_json(page([], True, 1))
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        assert [r["id"] for r in suiteql(client, "SELECT id FROM item ORDER BY id")] == ["1"]
    assert len(httpserver.log) == 2


def test_suiteql_rejects_a_malformed_page(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_json(
        {"o:errorDetails": [{"detail": "Invalid search query."}]}
    )
    with httpx.Client(base_url=httpserver.url_for("/")) as client, pytest.raises(ValueError):
        list(suiteql(client, "SELEC id"))


def test_suiteql_retries_a_429_with_retry_after(httpserver: HTTPServer):
    httpserver.expect_ordered_request(PATH).respond_with_json({}, status=429, headers={"Retry-After": "2"})
    httpserver.expect_ordered_request(PATH).respond_with_json(page([{"id": "9"}], False, 0))
    waits = []
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        assert [r["id"] for r in suiteql(client, "SELECT id FROM item ORDER BY id", sleep=waits.append)] == [
            "9"
        ]
    assert waits == [2.0]


def test_changed_since_builds_an_ordered_window(httpserver: HTTPServer):
    seen = {}

    def handler(request: Request) -> Response:
        seen["q"] = json.loads(request.data)["q"]
        return Response(json.dumps(page([{"id": "7"}], False, 0)), content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(handler)
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        assert [r["id"] for r in changed_since(client, "customer", "2026-11-24 00:00:00")] == ["7"]
    assert "lastmodifieddate > TO_TIMESTAMP('2026-11-24 00:00:00'" in seen["q"]
    assert seen["q"].endswith("ORDER BY lastmodifieddate, id")
    with pytest.raises(ValueError):
        list(changed_since(client, "customer; DROP", "2026-11-24 00:00:00"))
