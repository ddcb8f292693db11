import hashlib
import hmac
import json
import time

import httpx
import pytest
import stripe
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.connectors.stripe import (
    BadSignature,
    changes_from_events,
    customers_with_sdk,
    list_all,
    parse_webhook,
    verify_by_hand,
)

SECRET = "whsec_test_secret"
BODY = json.dumps(
    {
        "id": "evt_1",
        "object": "event",
        "type": "customer.created",
        "data": {"object": {"id": "cus_1", "object": "customer"}},
    }
).encode()


def header(body: bytes, timestamp: int, secret: str = SECRET, extra: str = "") -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}{extra}"


def test_sdk_accepts_a_fresh_valid_signature():
    now = int(time.time())
    event = parse_webhook(BODY, header(BODY, now), SECRET)
    assert event.id == "evt_1" and event.type == "customer.created"


def test_our_header_matches_the_sdk_test_helper():
    # The SDK's own signing helper, used by its test suite, must agree with ours.
    assert stripe.WebhookSignature.generate_signature_header(BODY.decode(), SECRET, 1764072000) == header(
        BODY, 1764072000
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda now: header(BODY, now, secret="whsec_forged"),  # forged
        lambda now: header(BODY, now - 301),  # stale
        lambda now: header(BODY + b" ", now),  # body changed after signing
        lambda now: f"t={now}",  # no v1
        lambda now: "garbage",  # malformed
    ],
)
def test_sdk_and_by_hand_reject_the_same_bad_headers(make):
    now = int(time.time())
    bad = make(now)
    with pytest.raises(stripe.SignatureVerificationError):
        parse_webhook(BODY, bad, SECRET)
    with pytest.raises(BadSignature):
        verify_by_hand(BODY, bad, SECRET, now=now)


def test_by_hand_accepts_any_v1_during_rotation():
    now = 1_764_072_000
    rotated = header(BODY, now, secret="whsec_old") + "," + header(BODY, now).split(",")[1]
    verify_by_hand(BODY, rotated, SECRET, now=now)
    verify_by_hand(BODY, header(BODY, now), SECRET, now=now + 300)
    with pytest.raises(BadSignature):
        verify_by_hand(BODY, header(BODY, now), SECRET, now=now + 301)


def customers(*ids):
    return [{"id": i, "object": "customer"} for i in ids]


def stripe_list(data, has_more):
    return {"object": "list", "url": "/v1/customers", "has_more": has_more, "data": data}


def test_list_all_uses_starting_after_once_per_page(httpserver: HTTPServer):
    httpserver.expect_oneshot_request("/v1/customers", query_string={"limit": "100"}).respond_with_json(
        stripe_list(customers("cus_1", "cus_2"), True)
    )
    httpserver.expect_oneshot_request(
        "/v1/customers", query_string={"limit": "100", "starting_after": "cus_2"}
    ).respond_with_json(stripe_list(customers("cus_3"), False))
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        assert [c["id"] for c in list_all(client, "/v1/customers")] == ["cus_1", "cus_2", "cus_3"]
    assert len(httpserver.log) == 2
    httpserver.check_assertions()


def test_list_all_handles_empty_and_malformed(httpserver: HTTPServer):
    httpserver.expect_oneshot_request("/v1/customers").respond_with_json(stripe_list([], False))
    httpserver.expect_oneshot_request("/v1/invoices").respond_with_json(
        {"error": {"type": "invalid_request_error"}}
    )
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        assert list(list_all(client, "/v1/customers")) == []
        with pytest.raises(ValueError):
            list(list_all(client, "/v1/invoices"))


def test_list_all_backs_off_on_429(httpserver: HTTPServer):
    httpserver.expect_ordered_request("/v1/customers").respond_with_json(
        {"error": {"type": "invalid_request_error", "code": "rate_limit"}}, status=429
    )
    httpserver.expect_ordered_request("/v1/customers").respond_with_json(
        stripe_list(customers("cus_1"), False)
    )
    waits = []
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        assert [c["id"] for c in list_all(client, "/v1/customers", sleep=waits.append)] == ["cus_1"]
    assert len(waits) == 1


def test_sdk_auto_paging_iter_against_a_local_server(httpserver: HTTPServer):
    pages = []

    def handler(request: Request) -> Response:
        pages.append(request.args.get("starting_after"))
        if request.args.get("starting_after") == "cus_2":
            body = stripe_list(customers("cus_3"), False)
        else:
            body = stripe_list(customers("cus_1", "cus_2"), True)
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/v1/customers").respond_with_handler(handler)
    sdk = stripe.StripeClient(
        "sk_test_local", base_addresses={"api": httpserver.url_for("").rstrip("/")}, max_network_retries=0
    )
    assert [c.id for c in customers_with_sdk(sdk)] == ["cus_1", "cus_2", "cus_3"]
    assert pages == [None, "cus_2"]


def event(eid, created, etype, obj):
    return {"id": eid, "object": "event", "created": created, "type": etype, "data": {"object": obj}}


def test_changes_from_events_reports_upserts_deletes_and_cursor(httpserver: HTTPServer):
    newest_first = [
        event("evt_4", 1040, "customer.deleted", {"id": "cus_2", "object": "customer", "deleted": True}),
        event("evt_3", 1030, "customer.updated", {"id": "cus_1", "object": "customer", "name": "B"}),
        event("evt_2", 1020, "customer.created", {"id": "cus_2", "object": "customer"}),
        event("evt_1", 1010, "customer.created", {"id": "cus_1", "object": "customer", "name": "A"}),
    ]
    httpserver.expect_oneshot_request(
        "/v1/events", query_string={"created[gte]": "1000", "type": "customer.*", "limit": "100"}
    ).respond_with_json({"object": "list", "has_more": True, "data": newest_first[:2]})
    httpserver.expect_oneshot_request(
        "/v1/events",
        query_string={
            "created[gte]": "1000",
            "type": "customer.*",
            "limit": "100",
            "starting_after": "evt_3",
        },
    ).respond_with_json({"object": "list", "has_more": False, "data": newest_first[2:]})
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        changes = changes_from_events(client, "customer", 1000)
    assert changes.upserts == {"cus_1": {"id": "cus_1", "object": "customer", "name": "B"}}
    assert changes.deleted_ids == {"cus_2"}
    assert changes.cursor == 1040
    httpserver.check_assertions()


def test_changes_from_events_with_nothing_new_keeps_the_cursor(httpserver: HTTPServer):
    httpserver.expect_request("/v1/events").respond_with_json(
        {"object": "list", "has_more": False, "data": []}
    )
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        changes = changes_from_events(client, "customer", 1000)
    assert (changes.upserts, changes.deleted_ids, changes.cursor) == ({}, set(), 1000)
