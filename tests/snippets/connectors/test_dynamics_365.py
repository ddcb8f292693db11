import json

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.connectors.dynamics_365 import (
    ChangeTrackingReset,
    TokenError,
    client_credentials_token,
    dataverse_client,
    key_segment,
    read_changes,
    rows,
    upsert,
)

TENANT = "11111111-2222-3333-4444-555555555555"
API = "/api/data/v9.2"


@pytest.fixture
def env_url(httpserver: HTTPServer) -> str:
    return httpserver.url_for("").rstrip("/")


@pytest.fixture
def client(env_url: str):
    with dataverse_client(env_url, "tok") as c:
        yield c


def deleted(guid: str) -> dict:
    return {"@odata.context": f"{API}/$metadata#accounts/$deletedEntity", "id": guid, "reason": "deleted"}


def test_token_exchange_sends_the_client_credentials_grant_for_the_environment(httpserver: HTTPServer):
    seen = {}

    def handler(request: Request) -> Response:
        seen.update(request.form.to_dict())
        return Response(
            json.dumps({"token_type": "Bearer", "expires_in": 3599, "access_token": "eyJ0"}),
            content_type="application/json",
        )

    httpserver.expect_request(f"/{TENANT}/oauth2/v2.0/token", method="POST").respond_with_handler(handler)
    with httpx.Client(base_url=httpserver.url_for("/")) as login:
        token = client_credentials_token(
            login, TENANT, "app-id", "s3cret", "https://contoso.crm4.dynamics.com/"
        )
    assert token == "eyJ0"
    assert seen == {
        "grant_type": "client_credentials",
        "client_id": "app-id",
        "client_secret": "s3cret",
        "scope": "https://contoso.crm4.dynamics.com/.default",
    }


def test_token_exchange_reports_the_entra_error(httpserver: HTTPServer):
    httpserver.expect_request(f"/{TENANT}/oauth2/v2.0/token", method="POST").respond_with_json(
        {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."},
        status=401,
    )
    with (
        httpx.Client(base_url=httpserver.url_for("/")) as login,
        pytest.raises(TokenError, match="invalid_client"),
    ):
        client_credentials_token(login, TENANT, "app-id", "wrong", "https://contoso.crm.dynamics.com")


def test_client_sends_the_bearer_token_and_odata_headers(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_request(f"{API}/WhoAmI").respond_with_json({"UserId": "u1"})
    assert client.get("WhoAmI").json() == {"UserId": "u1"}
    sent = httpserver.log[0][0].headers
    assert sent["Authorization"] == "Bearer tok"
    assert sent["OData-MaxVersion"] == "4.0" and sent["OData-Version"] == "4.0"


def test_rows_follow_next_link_to_the_end_once_each(httpserver: HTTPServer, client: httpx.Client, env_url):
    cookie = "%3Ccookie%20pagenumber=%222%22%3E"
    httpserver.expect_ordered_request(f"{API}/accounts", query_string={"$select": "name"}).respond_with_json(
        {
            "value": [{"accountid": "a1"}, {"accountid": "a2"}],
            "@odata.nextLink": f"{env_url}{API}/accounts?$select=name&$skiptoken={cookie}",
        },
        headers={"Preference-Applied": "odata.maxpagesize=2"},
    )
    httpserver.expect_ordered_request(f"{API}/accounts").respond_with_json({"value": [{"accountid": "a3"}]})
    got = [r["accountid"] for r in rows(client, "accounts", ["name"], page_size=2)]
    assert got == ["a1", "a2", "a3"]
    assert len(httpserver.log) == 2
    assert all(req.headers["Prefer"] == "odata.maxpagesize=2" for req, _ in httpserver.log)
    assert "$skiptoken" in httpserver.log[1][0].args


def test_rows_reject_a_bad_page_size_and_a_malformed_page(httpserver: HTTPServer, client: httpx.Client):
    with pytest.raises(ValueError, match="1..5000"):
        list(rows(client, "accounts", ["name"], page_size=5001))
    httpserver.expect_request(f"{API}/accounts").respond_with_json({"error": {"message": "odd"}})
    with pytest.raises(ValueError, match="unexpected"):
        list(rows(client, "accounts", ["name"]))


def test_a_429_waits_for_retry_after_then_retries_the_same_page(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_ordered_request(f"{API}/accounts").respond_with_json(
        {
            "error": {
                "code": "0x80072322",
                "message": "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
            }
        },
        status=429,
        headers={"Retry-After": "17"},
    )
    httpserver.expect_ordered_request(f"{API}/accounts").respond_with_json({"value": [{"accountid": "a1"}]})
    waits: list[float] = []
    assert [r["accountid"] for r in rows(client, "accounts", ["name"], sleep=waits.append)] == ["a1"]
    assert waits == [17.0]


def test_initial_read_pages_then_returns_the_delta_link(
    httpserver: HTTPServer, client: httpx.Client, env_url
):
    delta = f"{env_url}{API}/accounts?$select=name&$deltatoken=919042%2108%2f22%2f2017"
    httpserver.expect_ordered_request(f"{API}/accounts", query_string={"$select": "name"}).respond_with_json(
        {"value": [{"accountid": "a1"}], "@odata.nextLink": f"{env_url}{API}/accounts?$skiptoken=p2"}
    )
    httpserver.expect_ordered_request(f"{API}/accounts").respond_with_json(
        {"value": [{"accountid": "a2"}], "@odata.deltaLink": delta}
    )
    changes = read_changes(client, "accounts", ["name"], page_size=1)
    assert [r["accountid"] for r in changes.upserts] == ["a1", "a2"]
    assert changes.deleted_ids == []
    assert changes.delta_link == delta
    assert httpserver.log[0][0].headers["Prefer"] == "odata.track-changes,odata.maxpagesize=1"


def test_delta_read_separates_updates_from_deletes(httpserver: HTTPServer, client: httpx.Client, env_url):
    old = f"{env_url}{API}/accounts?$select=name&$deltatoken=1"
    new = f"{env_url}{API}/accounts?$select=name&$deltatoken=2"
    httpserver.expect_request(
        f"{API}/accounts", query_string={"$select": "name", "$deltatoken": "1"}
    ).respond_with_json(
        {
            "@odata.context": f"{API}/$metadata#accounts(name)/$delta",
            "@odata.deltaLink": new,
            "value": [{"@odata.etag": 'W/"915244"', "accountid": "a1", "name": "Renamed"}, deleted("a9")],
        }
    )
    changes = read_changes(client, "accounts", ["name"], old)
    assert [r["name"] for r in changes.upserts] == ["Renamed"]
    assert changes.deleted_ids == ["a9"]
    assert changes.delta_link == new


def test_an_expired_delta_link_asks_for_a_full_read(httpserver: HTTPServer, client: httpx.Client, env_url):
    httpserver.expect_request(f"{API}/accounts").respond_with_json(
        {"error": {"code": "0x80044352", "message": "The changes token has expired."}}, status=400
    )
    with pytest.raises(ChangeTrackingReset, match="expired"):
        read_changes(client, "accounts", ["name"], f"{env_url}{API}/accounts?$deltatoken=1")


def test_other_errors_and_a_missing_delta_link_are_not_swallowed(
    httpserver: HTTPServer, client: httpx.Client
):
    httpserver.expect_ordered_request(f"{API}/accounts").respond_with_json(
        {"error": {"message": "no"}}, status=403
    )
    with pytest.raises(httpx.HTTPStatusError):
        read_changes(client, "accounts", ["name"])
    httpserver.expect_ordered_request(f"{API}/accounts").respond_with_json({"value": []})
    with pytest.raises(ValueError, match="deltaLink"):
        read_changes(client, "accounts", ["name"])


def test_key_segment_quotes_strings_and_rejects_unaddressable_values():
    assert key_segment({"accountnumber": "O'Neil-1", "region": 3}) == "(accountnumber='O''Neil-1',region=3)"
    with pytest.raises(ValueError, match="cannot address"):
        key_segment({"accountnumber": "A/1"})
    with pytest.raises(ValueError, match="at least one"):
        key_segment({})


def test_upsert_patches_by_alternate_key(httpserver: HTTPServer, client: httpx.Client, env_url):
    entity = f"{env_url}{API}/accounts(00000000-0000-0000-0000-000000000001)"
    httpserver.expect_request(f"{API}/accounts(accountnumber='A-1')", method="PATCH").respond_with_data(
        "", status=204, headers={"OData-EntityId": entity}
    )
    assert upsert(client, "accounts", {"accountnumber": "A-1"}, {"name": "Contoso"}) == entity
    request = httpserver.log[0][0]
    assert json.loads(request.get_data()) == {"name": "Contoso"}
    assert "If-Match" not in request.headers and "If-None-Match" not in request.headers


def test_upsert_modes_send_the_conditional_headers(httpserver: HTTPServer, client: httpx.Client):
    path = f"{API}/accounts(accountnumber='A-1')"
    httpserver.expect_ordered_request(path, method="PATCH", headers={"If-None-Match": "*"}).respond_with_json(
        {"error": {"code": "0x80060892", "message": "A record with matching key values already exists."}},
        status=412,
    )
    httpserver.expect_ordered_request(path, method="PATCH", headers={"If-Match": "*"}).respond_with_json(
        {"error": {"message": "Does Not Exist"}}, status=404
    )
    with pytest.raises(httpx.HTTPStatusError) as exists:
        upsert(client, "accounts", {"accountnumber": "A-1"}, {"name": "x"}, mode="create")
    assert exists.value.response.status_code == 412
    with pytest.raises(httpx.HTTPStatusError) as missing:
        upsert(client, "accounts", {"accountnumber": "A-1"}, {"name": "x"}, mode="update")
    assert missing.value.response.status_code == 404
    with pytest.raises(ValueError, match="mode"):
        upsert(client, "accounts", {"accountnumber": "A-1"}, {}, mode="merge")
