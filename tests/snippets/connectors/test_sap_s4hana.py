import json

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.connectors.sap_s4hana import (
    CsrfTokenRequired,
    CsrfWriter,
    EtagMismatch,
    client_credentials_token,
    odp_changes,
    v2_rows,
    v4_rows,
)

SERVICE = "/sap/opu/odata/sap/API_BUSINESS_PARTNER"
PARTNERS = f"{SERVICE}/A_BusinessPartner"
ODP = "/sap/opu/odata/sap/ZSALES_ODP_SRV"
FACTS = f"{ODP}/FactsOfZSALESDOC"


@pytest.fixture
def client(httpserver: HTTPServer):
    with httpx.Client(base_url=httpserver.url_for("/"), auth=("COMM_USER", "pw")) as c:
        yield c


def v2(results: list[dict], **extra) -> dict:
    return {"d": {"results": results, **extra}}


def test_token_exchange_uses_client_credentials_with_basic_client_auth(httpserver: HTTPServer):
    def handler(request: Request) -> Response:
        assert request.authorization.username == "CLIENT_1"
        assert request.authorization.password == "secret"
        assert request.form.to_dict() == {"grant_type": "client_credentials"}
        return Response(
            json.dumps({"access_token": "at", "token_type": "Bearer", "expires_in": 3600}),
            content_type="application/json",
        )

    httpserver.expect_request("/sap/bc/sec/oauth2/token", method="POST").respond_with_handler(handler)
    with httpx.Client(base_url=httpserver.url_for("/")) as c:
        assert client_credentials_token(c, "/sap/bc/sec/oauth2/token", "CLIENT_1", "secret") == "at"


def test_token_exchange_failure_is_reported(httpserver: HTTPServer):
    httpserver.expect_ordered_request("/token", method="POST").respond_with_json(
        {"error": "invalid_client"}, status=401
    )
    httpserver.expect_ordered_request("/token", method="POST").respond_with_data(
        "<html>logon</html>", status=200
    )
    with httpx.Client(base_url=httpserver.url_for("/")) as c:
        with pytest.raises(PermissionError, match="invalid_client"):
            client_credentials_token(c, "/token", "CLIENT_1", "wrong")
        with pytest.raises(PermissionError, match="200"):
            client_credentials_token(c, "/token", "CLIENT_1", "secret")


def test_v2_pages_with_top_and_skip_until_a_short_page(httpserver: HTTPServer, client: httpx.Client):
    partners = [{"BusinessPartner": f"{i:010d}"} for i in range(5)]
    skips = []

    def handler(request: Request) -> Response:
        top, skip = int(request.args["$top"]), int(request.args["$skip"])
        skips.append(skip)
        assert request.args["$orderby"] == "BusinessPartner" and request.args["$format"] == "json"
        return Response(json.dumps(v2(partners[skip : skip + top])), content_type="application/json")

    httpserver.expect_request(PARTNERS).respond_with_handler(handler)
    got = list(
        v2_rows(client, SERVICE, "A_BusinessPartner", ["BusinessPartner"], "BusinessPartner", page_size=2)
    )
    assert [p["BusinessPartner"] for p in got] == [p["BusinessPartner"] for p in partners]
    assert skips == [0, 2, 4]


def test_v2_follows_server_driven_paging_to_the_end(httpserver: HTTPServer, client: httpx.Client):
    next_url = httpserver.url_for(PARTNERS) + "?$skiptoken=2&$format=json"
    httpserver.expect_ordered_request(PARTNERS).respond_with_json(
        v2([{"BusinessPartner": "1"}, {"BusinessPartner": "2"}], __next=next_url)
    )
    httpserver.expect_ordered_request(
        PARTNERS, query_string={"$skiptoken": "2", "$format": "json"}
    ).respond_with_json(v2([{"BusinessPartner": "3"}]))
    # The service decides the page size: a page shorter than ours is not the end while __next is present,
    # and the last page ends the read even though it is "full".
    got = list(
        v2_rows(client, SERVICE, "A_BusinessPartner", ["BusinessPartner"], "BusinessPartner", page_size=1)
    )
    assert [p["BusinessPartner"] for p in got] == ["1", "2", "3"]
    assert len(httpserver.log) == 2


def test_v2_waits_out_a_throttled_page(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_ordered_request(PARTNERS).respond_with_data(
        "Service unavailable", status=503, headers={"Retry-After": "30"}
    )
    httpserver.expect_ordered_request(PARTNERS).respond_with_json(v2([{"BusinessPartner": "1"}]))
    waits: list[float] = []
    got = list(v2_rows(client, SERVICE, "A_BusinessPartner", [], "BusinessPartner", sleep=waits.append))
    assert [p["BusinessPartner"] for p in got] == ["1"]
    assert waits == [30.0]


def test_v2_rejects_a_malformed_response(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_request(PARTNERS).respond_with_json({"error": {"code": "/IWBEP/CM_MGW_RT/020"}})
    with pytest.raises(ValueError, match="unexpected"):
        list(v2_rows(client, SERVICE, "A_BusinessPartner", [], "BusinessPartner"))


def test_v4_follows_next_link(httpserver: HTTPServer, client: httpx.Client):
    path = "/sap/opu/odata4/sap/api_product/srvd_a2x/sap/product/0002/Product"
    httpserver.expect_ordered_request(path).respond_with_json(
        {"value": [{"Product": "A"}], "@odata.nextLink": "Product?$skiptoken=1"}
    )
    httpserver.expect_ordered_request(path).respond_with_json({"value": [{"Product": "B"}]})
    assert [p["Product"] for p in v4_rows(client, path)] == ["A", "B"]
    httpserver.expect_request(path + "x").respond_with_json({"d": {}})
    with pytest.raises(ValueError):
        list(v4_rows(client, path + "x"))


def test_odp_initial_read_subscribes_and_returns_the_delta_link(httpserver: HTTPServer, client: httpx.Client):
    delta = httpserver.url_for(FACTS) + "?!deltatoken='D20261130'"
    httpserver.expect_ordered_request(FACTS, headers={"Prefer": "odata.track-changes"}).respond_with_json(
        v2(
            [{"SalesDocument": "1", "ODQ_CHANGEMODE": "", "ODQ_ENTITYCNTR": "1"}],
            __next=httpserver.url_for(FACTS) + "?$skiptoken=1",
        )
    )
    httpserver.expect_ordered_request(FACTS).respond_with_json(
        v2([{"SalesDocument": "2", "ODQ_CHANGEMODE": "", "ODQ_ENTITYCNTR": "1"}], __delta=delta)
    )
    changes = odp_changes(client, ODP, "FactsOfZSALESDOC", ["SalesDocument"])
    assert [r["SalesDocument"] for r in changes.upserts] == ["1", "2"]
    assert changes.delta_link == delta
    assert httpserver.log[1][0].headers["Prefer"] == "odata.track-changes"


def test_odp_delta_separates_changes_from_deletions(httpserver: HTTPServer, client: httpx.Client):
    old = httpserver.url_for(FACTS) + "?!deltatoken='D1'"
    new = httpserver.url_for(FACTS) + "?!deltatoken='D2'"
    httpserver.expect_request(FACTS, query_string="!deltatoken='D1'").respond_with_json(
        v2(
            [
                {"SalesDocument": "1", "NetAmount": "120.00", "ODQ_CHANGEMODE": "U", "ODQ_ENTITYCNTR": "1"},
                {"SalesDocument": "7", "NetAmount": "0.00", "ODQ_CHANGEMODE": "D", "ODQ_ENTITYCNTR": "-1"},
            ],
            __delta=new,
        )
    )
    changes = odp_changes(client, ODP, "FactsOfZSALESDOC", ["SalesDocument"], old)
    assert [r["NetAmount"] for r in changes.upserts] == ["120.00"]
    assert changes.deleted_keys == [{"SalesDocument": "7"}]
    assert changes.delta_link == new


def test_odp_without_delta_link_is_an_error(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_request(FACTS).respond_with_json(v2([]))
    with pytest.raises(ValueError, match="delta-enabled"):
        odp_changes(client, ODP, "FactsOfZSALESDOC", ["SalesDocument"])


def serve_token(httpserver: HTTPServer, token: str, ordered: bool = False) -> None:
    expect = httpserver.expect_ordered_request if ordered else httpserver.expect_request
    expect(f"{SERVICE}/", method="GET", headers={"X-CSRF-Token": "Fetch"}).respond_with_data(
        "", headers={"X-CSRF-Token": token, "Set-Cookie": f"SAP_SESSIONID_S4H_100={token}-session; Path=/"}
    )


ENTITY = "A_BusinessPartner('1000042')"


def test_csrf_write_fetches_a_token_and_sends_it_with_the_session_cookie_and_etag(
    httpserver: HTTPServer, client: httpx.Client
):
    serve_token(httpserver, "tok1", ordered=True)
    httpserver.expect_ordered_request(f"{SERVICE}/{ENTITY}", method="PATCH").respond_with_data(
        "", status=204, headers={"ETag": "W/\"datetimeoffset'2026-11-30T10%3A00%3A01Z'\""}
    )
    writer = CsrfWriter(client, SERVICE)
    new_etag = writer.update(
        ENTITY, {"SearchTerm1": "ACME"}, etag="W/\"datetimeoffset'2026-11-30T09%3A00%3A00Z'\""
    )
    assert new_etag.startswith('W/"datetimeoffset')
    patch = httpserver.log[1][0]
    assert patch.headers["X-CSRF-Token"] == "tok1"
    assert patch.headers["If-Match"].endswith("09%3A00%3A00Z'\"")
    assert "SAP_SESSIONID_S4H_100=tok1-session" in patch.headers["Cookie"]
    assert json.loads(patch.get_data()) == {"SearchTerm1": "ACME"}


def test_an_expired_token_is_fetched_again_once(httpserver: HTTPServer, client: httpx.Client):
    serve_token(httpserver, "tok1", ordered=True)
    httpserver.expect_ordered_request(f"{SERVICE}/{ENTITY}", method="PATCH").respond_with_data(
        "CSRF token validation failed", status=403, headers={"X-CSRF-Token": "Required"}
    )
    serve_token(httpserver, "tok2", ordered=True)
    httpserver.expect_ordered_request(
        f"{SERVICE}/{ENTITY}", method="PATCH", headers={"X-CSRF-Token": "tok2"}
    ).respond_with_data("", status=204, headers={"ETag": 'W/"2"'})
    writer = CsrfWriter(client, SERVICE)
    assert writer.update(ENTITY, {"SearchTerm1": "ACME"}, etag='W/"1"') == 'W/"2"'
    assert writer.token == "tok2"


def test_a_second_token_rejection_is_not_retried_forever(httpserver: HTTPServer, client: httpx.Client):
    serve_token(httpserver, "tok")
    httpserver.expect_request(f"{SERVICE}/{ENTITY}", method="PATCH").respond_with_data(
        "CSRF token validation failed", status=403, headers={"X-CSRF-Token": "Required"}
    )
    with pytest.raises(CsrfTokenRequired):
        CsrfWriter(client, SERVICE).update(ENTITY, {}, etag='W/"1"')
    assert sum(1 for req, _ in httpserver.log if req.method == "PATCH") == 2


def test_a_stale_etag_and_other_errors(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_ordered_request(f"{SERVICE}/{ENTITY}", method="PATCH").respond_with_json(
        {"error": {"code": "/IWBEP/CM_MGW_RT/022", "message": {"value": "Precondition failed"}}}, status=412
    )
    httpserver.expect_ordered_request(f"{SERVICE}/{ENTITY}", method="PATCH").respond_with_json(
        {"error": {"message": {"value": "No authorization"}}}, status=403
    )
    writer = CsrfWriter(client, SERVICE, token="tok")
    with pytest.raises(EtagMismatch):
        writer.update(ENTITY, {"SearchTerm1": "x"}, etag='W/"old"')
    with pytest.raises(httpx.HTTPStatusError):
        writer.update(ENTITY, {"SearchTerm1": "x"}, etag='W/"old"')


def test_a_service_without_csrf_token_is_reported(httpserver: HTTPServer, client: httpx.Client):
    httpserver.expect_request(f"{SERVICE}/").respond_with_data("")
    with pytest.raises(PermissionError, match="no CSRF token"):
        CsrfWriter(client, SERVICE).fetch_token()
