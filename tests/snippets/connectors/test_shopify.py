import base64
import hashlib
import hmac
import json

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.connectors.shopify import GraphQLError, paginate, products_updated_since, verify_webhook

SECRET = "shpss_client_secret"
BODY = b'{"id":788032119674292922,"title":"Example T-Shirt"}'
GQL = "/admin/api/2026-01/graphql.json"


def sign(body=BODY, secret=SECRET):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def test_webhook_accepts_valid_and_rejects_forged_or_malformed():
    assert verify_webhook(SECRET, BODY, sign())
    assert not verify_webhook(SECRET, BODY, sign(secret="other"))
    assert not verify_webhook(SECRET, BODY.replace(b"T-Shirt", b"Hoodie"), sign())
    assert not verify_webhook(SECRET, json.dumps(json.loads(BODY)).encode(), sign())  # re-serialised body
    assert not verify_webhook(SECRET, BODY, None)
    assert not verify_webhook(SECRET, BODY, "%%%")


def cost(available=990.0, requested=252):
    return {
        "requestedQueryCost": requested,
        "actualQueryCost": 12,
        "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": available, "restoreRate": 100.0},
    }


def gql_page(ids, has_next, end_cursor, available=990.0):
    return {
        "data": {
            "products": {
                "nodes": [{"id": i} for i in ids],
                "pageInfo": {"hasNextPage": has_next, "endCursor": end_cursor},
            }
        },
        "extensions": {"cost": cost(available)},
    }


THROTTLED = {
    "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
    "extensions": {"cost": cost(available=52.0)},
}


def test_paginate_follows_end_cursor_and_waits_out_a_throttle(httpserver: HTTPServer):
    afters = []
    replies = iter([gql_page(["p1", "p2"], True, "c1"), THROTTLED, gql_page(["p3"], False, "c2")])

    def handler(request: Request) -> Response:
        body = json.loads(request.data)
        afters.append(body["variables"]["after"])
        assert request.headers["X-Shopify-Access-Token"] == "shpat_test"
        return Response(json.dumps(next(replies)), content_type="application/json")

    httpserver.expect_request(GQL, method="POST").respond_with_handler(handler)
    waits = []
    with httpx.Client(
        base_url=httpserver.url_for("/"), headers={"X-Shopify-Access-Token": "shpat_test"}
    ) as client:
        got = [n["id"] for n in products_updated_since(client, "2026-11-24T00:00:00Z", sleep=waits.append)]
    assert got == ["p1", "p2", "p3"]
    assert afters == [None, "c1", "c1"]  # the throttled page is asked again, no other page twice
    assert waits == [0.0, 2.0]  # (252 - 52) points / 100 per second


def test_paginate_uses_the_search_filter(httpserver: HTTPServer):
    seen = {}

    def handler(request: Request) -> Response:
        seen.update(json.loads(request.data)["variables"])
        return Response(json.dumps(gql_page([], False, None)), content_type="application/json")

    httpserver.expect_request(GQL).respond_with_handler(handler)
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        assert list(products_updated_since(client, "2026-11-24T00:00:00Z", sleep=lambda s: None)) == []
    assert seen["search"] == "updated_at:>'2026-11-24T00:00:00Z'"


def test_paginate_gives_up_after_repeated_throttles(httpserver: HTTPServer):
    httpserver.expect_request(GQL).respond_with_json(THROTTLED)
    waits = []
    with httpx.Client(base_url=httpserver.url_for("/")) as client, pytest.raises(GraphQLError):
        list(products_updated_since(client, "2026-01-01T00:00:00Z", sleep=waits.append, max_throttles=3))
    assert len(httpserver.log) == 4
    assert len(waits) == 3


@pytest.mark.parametrize(
    "reply",
    [
        {"errors": [{"message": "Field 'prodcts' doesn't exist on type 'QueryRoot'"}]},
        {"data": {"products": None}},
        {"data": {}},
    ],
)
def test_paginate_rejects_errors_and_malformed(httpserver: HTTPServer, reply):
    httpserver.expect_request(GQL).respond_with_json(reply)
    with httpx.Client(base_url=httpserver.url_for("/")) as client, pytest.raises(GraphQLError):
        list(paginate(client, "query", "products", sleep=lambda s: None))
    assert len(httpserver.log) == 1
