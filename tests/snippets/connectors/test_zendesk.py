import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from snippets.connectors.zendesk import BadSignature, api_token_client, export_tickets, verify_webhook

# Zendesk signs test deliveries (sent before a webhook exists) with this
# published static secret.
TEST_SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
BODY = b'{"type":"zen:event-type:ticket.created","detail":{"id":"35436"}}'
TS = "2026-11-25T12:00:00Z"
NOW = datetime(2026, 11, 25, 12, 1, tzinfo=UTC).timestamp()
EXPORT = "/api/v2/incremental/tickets/cursor.json"


def sign(secret=TEST_SECRET, ts=TS, body=BODY):
    return base64.b64encode(hmac.new(secret.encode(), ts.encode() + body, hashlib.sha256).digest()).decode()


def test_accepts_a_valid_signature():
    verify_webhook(TEST_SECRET, BODY, sign(), TS, now=NOW)


@pytest.mark.parametrize(
    "signature,timestamp,now",
    [
        (sign(secret="forged"), TS, NOW),
        (sign(body=BODY + b"\n"), TS, NOW),
        (sign(), TS, NOW + 600),  # stale
        (sign(ts="yesterday"), "yesterday", NOW),  # malformed timestamp
        ("", TS, NOW),  # missing signature
    ],
)
def test_rejects_forged_stale_and_malformed(signature, timestamp, now):
    with pytest.raises(BadSignature):
        verify_webhook(TEST_SECRET, BODY, signature, timestamp, now=now)


def page(tickets, after, end):
    return {
        "tickets": tickets,
        "after_cursor": after,
        "before_cursor": None,
        "after_url": f"https://acme.zendesk.com{EXPORT}?cursor={after}" if after else None,
        "end_of_stream": end,
    }


def test_export_follows_after_cursor_and_reports_deletes(httpserver: HTTPServer):
    def handler(request: Request) -> Response:
        assert request.authorization.username == "etl@acme.test/token"
        assert request.authorization.password == "tok"
        if request.args.get("start_time") == "1764000000":
            body = page([{"id": 1, "status": "open"}, {"id": 2, "status": "new"}], "c1", False)
        elif request.args.get("cursor") == "c1":
            body = page([{"id": 2, "status": "deleted"}, {"id": 1, "status": "solved"}], "c2", True)
        else:
            return Response("unexpected", status=500)
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request(EXPORT).respond_with_handler(handler)
    with api_token_client(httpserver.url_for("/"), "etl@acme.test", "tok") as client:
        changes = export_tickets(client, start_time=1764000000)
    assert changes.upserts == {1: {"id": 1, "status": "solved"}}
    assert changes.deleted_ids == {2}
    assert changes.cursor == "c2"
    assert len(httpserver.log) == 2


def test_resume_from_a_cursor_with_nothing_new(httpserver: HTTPServer):
    httpserver.expect_oneshot_request(
        EXPORT, query_string={"per_page": "1000", "cursor": "c2"}
    ).respond_with_json(page([], None, True))
    with api_token_client(httpserver.url_for("/"), "e", "t") as client:
        changes = export_tickets(client, cursor="c2")
    assert (changes.upserts, changes.deleted_ids, changes.cursor) == ({}, set(), "c2")


def test_export_waits_out_a_429(httpserver: HTTPServer):
    httpserver.expect_ordered_request(EXPORT).respond_with_json(
        {"error": "APIRateLimitExceeded"}, status=429, headers={"Retry-After": "57"}
    )
    httpserver.expect_ordered_request(EXPORT).respond_with_json(
        page([{"id": 5, "status": "open"}], "c9", True)
    )
    waits = []
    with api_token_client(httpserver.url_for("/"), "e", "t") as client:
        assert export_tickets(client, start_time=0, sleep=waits.append).cursor == "c9"
    assert waits == [57.0]


def test_export_rejects_malformed_and_bad_arguments(httpserver: HTTPServer):
    httpserver.expect_request(EXPORT).respond_with_json({"tickets": "nope"})
    with api_token_client(httpserver.url_for("/"), "e", "t") as client:
        with pytest.raises(ValueError):
            export_tickets(client, start_time=0)
        with pytest.raises(ValueError):
            export_tickets(client)
