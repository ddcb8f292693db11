from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.connectors.salesforce import (
    JWT_BEARER,
    DeletesOutOfReach,
    api_usage,
    extract_changes,
    fetch_token,
    jwt_assertion,
    query,
)

V = "/services/data/v62.0"


@pytest.fixture(scope="module")
def key_pair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem, key.public_key()


@pytest.fixture
def client(httpserver: HTTPServer):
    with httpx.Client(base_url=httpserver.url_for("/")) as c:
        yield c


def no_sleep(_seconds: float) -> None:
    raise AssertionError("no retry expected")


def test_jwt_assertion_claims_and_signature(key_pair):
    pem, public = key_pair
    token = jwt_assertion("3MVG9-app", "etl@example.com", pem, now=1_800_000_000)
    claims = jwt.decode(
        token,
        public,
        algorithms=["RS256"],
        audience="https://login.salesforce.com",
        options={"verify_exp": False},
    )
    assert claims == {
        "iss": "3MVG9-app",
        "sub": "etl@example.com",
        "aud": "https://login.salesforce.com",
        "exp": 1_800_000_180,
    }
    assert jwt.get_unverified_header(token)["alg"] == "RS256"


def test_jwt_assertion_is_rejected_by_another_key(key_pair):
    pem, _ = key_pair
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    token = jwt_assertion("app", "u", pem, now=1_800_000_000)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, other, algorithms=["RS256"], options={"verify_exp": False, "verify_aud": False})


def test_fetch_token_posts_the_assertion(httpserver: HTTPServer, client: httpx.Client, key_pair):
    pem, public = key_pair
    seen = {}

    def handler(request: Request) -> Response:
        seen.update(request.form)
        return Response(
            '{"access_token": "00Dxx!abc", "instance_url": "https://acme.my.salesforce.com"}',
            content_type="application/json",
        )

    httpserver.expect_request("/services/oauth2/token", method="POST").respond_with_handler(handler)
    assertion = jwt_assertion("app", "etl@example.com", pem, now=1_800_000_000)
    token, instance = fetch_token(client, "/services/oauth2/token", assertion)
    assert (token, instance) == ("00Dxx!abc", "https://acme.my.salesforce.com")
    assert seen["grant_type"] == JWT_BEARER
    assert (
        jwt.decode(
            seen["assertion"],
            public,
            algorithms=["RS256"],
            options={"verify_exp": False, "verify_aud": False},
        )["sub"]
        == "etl@example.com"
    )


def records(*ids):
    return [{"attributes": {"type": "Account"}, "Id": i} for i in ids]


def test_query_follows_next_records_url_once_per_page(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_oneshot_request(
        f"{V}/query", query_string={"q": "SELECT Id FROM Account"}
    ).respond_with_json(
        {
            "totalSize": 5,
            "done": False,
            "nextRecordsUrl": f"{V}/query/01gD-2000",
            "records": records("a", "b"),
        }
    )
    httpserver.expect_oneshot_request(f"{V}/query/01gD-2000").respond_with_json(
        {
            "totalSize": 5,
            "done": False,
            "nextRecordsUrl": f"{V}/query/01gD-4000",
            "records": records("c", "d"),
        }
    )
    httpserver.expect_oneshot_request(f"{V}/query/01gD-4000").respond_with_json(
        {"totalSize": 5, "done": True, "records": records("e")}
    )
    got = list(query(client, "SELECT Id FROM Account", sleep=no_sleep))
    assert [r["Id"] for r in got] == ["a", "b", "c", "d", "e"]
    assert all("attributes" not in r for r in got)
    assert [e[0].path for e in httpserver.log] == [
        f"{V}/query",
        f"{V}/query/01gD-2000",
        f"{V}/query/01gD-4000",
    ]
    httpserver.check_assertions()


def test_query_with_no_rows(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_oneshot_request(f"{V}/query").respond_with_json(
        {"totalSize": 0, "done": True, "records": []}
    )
    assert list(query(client, "SELECT Id FROM Lead WHERE IsConverted = true", sleep=no_sleep)) == []
    assert len(httpserver.log) == 1


def test_query_all_uses_query_all_resource(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_oneshot_request(f"{V}/queryAll").respond_with_json(
        {"totalSize": 1, "done": True, "records": [{"Id": "x", "IsDeleted": True}]}
    )
    assert list(query(client, "SELECT Id, IsDeleted FROM Account", include_deleted=True, sleep=no_sleep)) == [
        {"Id": "x", "IsDeleted": True}
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"totalSize": 3, "done": False, "records": records("a")},  # more pages promised, no locator
        {"errors": "unexpected"},
        ["not", "a", "page"],
    ],
)
def test_query_rejects_malformed_pages(httpserver: HTTPServer, client: httpx.Client, body):
    httpserver.expect_request(f"{V}/query").respond_with_json(body)
    with pytest.raises(ValueError):
        list(query(client, "SELECT Id FROM Account", sleep=no_sleep))
    assert len(httpserver.log) == 1


def test_query_backs_off_on_concurrency_limit_without_refetching_pages(
    httpserver: HTTPServer, client: httpx.Client
):
    busy = [{"message": "ConcurrentPerOrgLongTxn Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}]
    httpserver.expect_ordered_request(f"{V}/query").respond_with_json(
        {"totalSize": 2, "done": False, "nextRecordsUrl": f"{V}/query/L-1", "records": records("a")}
    )
    httpserver.expect_ordered_request(f"{V}/query/L-1").respond_with_json(busy, status=403)
    httpserver.expect_ordered_request(f"{V}/query/L-1").respond_with_json(
        {"totalSize": 2, "done": True, "records": records("b")}
    )
    waits = []
    assert [r["Id"] for r in query(client, "SELECT Id FROM Account", sleep=waits.append)] == ["a", "b"]
    assert len(waits) == 1
    assert [e[0].path for e in httpserver.log].count(f"{V}/query") == 1


def test_api_usage_header():
    ok = httpx.Response(200, headers={"Sforce-Limit-Info": "api-usage=18/100000"})
    assert api_usage(ok) == (18, 100000)
    assert (
        api_usage(httpx.Response(200, headers={"Sforce-Limit-Info": "per-app-api-usage=1/10(appName=x)"}))
        is None
    )
    assert api_usage(httpx.Response(200, headers={"Sforce-Limit-Info": "api-usage=lots"})) is None
    assert api_usage(httpx.Response(200)) is None


SINCE = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
UNTIL = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)


def test_extract_changes_reads_upserts_and_deletes(httpserver: HTTPServer, client: httpx.Client):
    seen = {}

    def on_query(request: Request) -> Response:
        seen["q"] = request.args["q"]
        return Response(
            '{"totalSize": 1, "done": true, "records": [{"Id": "001A", "Name": "Acme", '
            '"SystemModstamp": "2026-11-21T10:00:00.000+0000"}]}',
            content_type="application/json",
        )

    httpserver.expect_oneshot_request(f"{V}/query").respond_with_handler(on_query)
    httpserver.expect_oneshot_request(
        f"{V}/sobjects/Account/deleted/",
        query_string={"start": "2026-11-20T00:00:00Z", "end": "2026-11-25T00:00:00Z"},
    ).respond_with_json(
        {
            "deletedRecords": [{"id": "001Z", "deletedDate": "2026-11-22T08:00:00.000+0000"}],
            "earliestDateAvailable": "2026-11-01T00:00:00.000+0000",
            "latestDateCovered": "2026-11-24T23:59:00.000+0000",
        }
    )
    changes = extract_changes(client, "Account", ["Name"], SINCE, UNTIL, sleep=no_sleep)
    assert [r["Id"] for r in changes.upserts] == ["001A"]
    assert changes.deleted_ids == ["001Z"]
    assert changes.cursor == UNTIL
    assert "SystemModstamp > 2026-11-20T00:00:00Z AND SystemModstamp <= 2026-11-25T00:00:00Z" in seen["q"]
    assert seen["q"].startswith("SELECT Id, SystemModstamp, Name FROM Account")
    httpserver.check_assertions()


def test_extract_changes_refuses_a_window_beyond_15_days(client: httpx.Client):
    with pytest.raises(DeletesOutOfReach):
        extract_changes(client, "Account", [], UNTIL - timedelta(days=16), UNTIL, sleep=no_sleep)


def test_extract_changes_detects_a_purged_delete_log(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_request(f"{V}/query").respond_with_json({"totalSize": 0, "done": True, "records": []})
    httpserver.expect_request(f"{V}/sobjects/Account/deleted/").respond_with_json(
        {
            "deletedRecords": [],
            "earliestDateAvailable": "2026-11-23T00:00:00.000+0000",
            "latestDateCovered": "2026-11-24T23:59:00.000+0000",
        }
    )
    with pytest.raises(DeletesOutOfReach):
        extract_changes(client, "Account", [], SINCE, UNTIL, sleep=no_sleep)
