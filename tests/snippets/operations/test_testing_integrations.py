"""Record/replay against a real local server, a consumer contract checked on a provider, scripted chaos."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer

from snippets.operations.testing_integrations import (
    RecordReplayTransport,
    Step,
    UnmatchedRequest,
    fetch_changes,
    scripted,
    verify_provider,
)

CONTRACT = Path(__file__).resolve().parents[3] / "snippets" / "operations" / "crm_consumer_contract.json"


def test_record_once_then_replay_offline(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/v1/customers", query_string="limit=2").respond_with_json(
        {"data": [{"id": "cus_1"}, {"id": "cus_2"}], "has_more": False},
        headers={"Set-Cookie": "session=secret", "X-RateLimit-Remaining": "99"},
    )
    cassette = tmp_path / "customers.json"
    recorder = RecordReplayTransport(cassette, "record")
    with httpx.Client(base_url=httpserver.url_for("/"), transport=recorder) as live:
        recorded = live.get("/v1/customers", params={"limit": 2}, headers={"Authorization": "Bearer sk_live"})
    assert recorded.json()["data"][1]["id"] == "cus_2"
    saved = cassette.read_text()
    assert "sk_live" not in saved and "session=secret" not in saved  # secrets never reach the cassette
    assert json.loads(saved)[0]["headers"] == {
        "content-type": "application/json",
        "x-ratelimit-remaining": "99",
    }

    calls = len(httpserver.log)
    replayer = RecordReplayTransport(cassette, "replay")
    with httpx.Client(base_url="http://api.invalid", transport=replayer) as offline:
        replayed = offline.get("/v1/customers", params={"limit": 2})
        assert replayed.json() == recorded.json()
        with pytest.raises(UnmatchedRequest, match="GET /v1/customers\\?limit=2"):
            offline.get("/v1/customers", params={"limit": 2})  # recorded once, replayed once
        with pytest.raises(UnmatchedRequest, match="/v1/invoices"):
            offline.get("/v1/invoices")
    assert len(httpserver.log) == calls  # replay never touched the network (the host does not even exist)


def crm_provider(*, drop_opt_out: bool = False, create_status: int = 201) -> FastAPI:
    app = FastAPI()
    contacts = {"42": {"id": "42", "email": "ada@example.com", "company_id": "C-1", "opted_out": False}}

    @app.get("/contacts/{contact_id}")
    def get_contact(contact_id: str) -> dict:
        if contact_id not in contacts:
            raise HTTPException(404)
        contact = dict(contacts[contact_id])
        if drop_opt_out:
            contact["opted_out"] = "no"  # a "harmless" provider refactor
        return contact

    @app.post("/contacts", status_code=create_status)
    def create_contact(body: dict) -> dict:
        return {"id": "43", **body}

    return app


def test_the_provider_honours_the_consumer_contract() -> None:
    contract = json.loads(CONTRACT.read_text())
    assert verify_provider(TestClient(crm_provider()), contract) == []


def test_a_provider_change_that_breaks_the_consumer_is_caught() -> None:
    contract = json.loads(CONTRACT.read_text())
    failures = verify_provider(TestClient(crm_provider(drop_opt_out=True, create_status=200)), contract)
    assert failures == [
        "an existing contact is returned with the fields order-sync reads: "
        "field 'opted_out' is str, expected boolean",
        "a contact can be created with email and company only: status 200, expected 201",
    ]


def test_a_missing_field_and_a_bool_posing_as_an_integer_are_both_caught() -> None:
    app = FastAPI()

    @app.get("/thing")
    def thing() -> dict:
        return {"count": True}

    contract = {
        "interactions": [
            {
                "description": "thing",
                "request": {"method": "GET", "path": "/thing"},
                "response": {"status": 200, "fields": {"count": "integer", "name": "string"}},
            }
        ]
    }
    assert verify_provider(TestClient(app), contract) == [
        "thing: field 'count' is bool, expected integer",
        "thing: field 'name' missing",
    ]


EVENTS = [
    {"id": "o-2", "version": 1, "updated_at": "2026-11-30T09:02:00Z"},
    {"id": "o-1", "version": 2, "updated_at": "2026-11-30T09:05:00Z"},
    {"id": "o-1", "version": 1, "updated_at": "2026-11-30T09:01:00Z"},  # late, older
    {"id": "o-2", "version": 1, "updated_at": "2026-11-30T09:02:00Z"},  # duplicate
]


def test_chaos_429_then_success_honours_retry_after(httpserver: HTTPServer) -> None:
    waits: list[float] = []
    httpserver.expect_request("/changes").respond_with_handler(
        scripted(
            [Step(429, {"error": "slow down"}, headers={"Retry-After": "7"}), Step(200, {"events": EVENTS})]
        )
    )
    with httpx.Client(base_url=httpserver.url_for("/"), timeout=2) as client:
        events = fetch_changes(client, "/changes", sleep=waits.append)
    assert waits == [7.0]
    assert [(e["id"], e["version"]) for e in events] == [("o-2", 1), ("o-1", 2)]  # deduplicated, newest kept


def test_chaos_a_timeout_then_a_503_then_success(httpserver: HTTPServer) -> None:
    waits: list[float] = []
    slow = Step(200, {"events": []}, delay=0.5)
    httpserver.expect_request("/changes").respond_with_handler(
        scripted([slow, Step(503, {"error": "deploying"}), Step(200, {"events": EVENTS[:1]})])
    )
    with httpx.Client(base_url=httpserver.url_for("/"), timeout=0.2) as client:
        events = fetch_changes(client, "/changes", sleep=waits.append)
    assert waits == [2, 4]  # exponential when the server gives no Retry-After
    assert [e["id"] for e in events] == ["o-2"]


def test_chaos_gives_up_after_the_last_attempt(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/changes").respond_with_handler(scripted([Step(500, {"error": "down"})]))
    with (
        httpx.Client(base_url=httpserver.url_for("/"), timeout=2) as client,
        pytest.raises(httpx.HTTPStatusError),
    ):
        fetch_changes(client, "/changes", attempts=3, sleep=lambda s: None)
    assert len(httpserver.log) == 3


def test_chaos_a_timeout_on_the_last_attempt_is_raised(httpserver: HTTPServer) -> None:
    naps: list[float] = []
    httpserver.expect_request("/changes").respond_with_handler(
        scripted(
            [Step(200, {"events": []}, delay=0.3)],
            sleep=lambda s: naps.append(s) or time.sleep(s),
        )
    )
    with (
        httpx.Client(base_url=httpserver.url_for("/"), timeout=0.1) as client,
        pytest.raises(httpx.TimeoutException),
    ):
        fetch_changes(client, "/changes", attempts=2, sleep=lambda s: None)
    assert naps and naps[0] == 0.3  # the server really was slow; the client gave up at 0.1 s each time
    time.sleep(0.8)  # let the slow handler calls finish so they do not reach the next test's server


def test_a_client_error_is_not_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/changes").respond_with_handler(scripted([Step(401, {"error": "bad token"})]))
    with (
        httpx.Client(base_url=httpserver.url_for("/"), timeout=2) as client,
        pytest.raises(httpx.HTTPStatusError),
    ):
        fetch_changes(client, "/changes", sleep=lambda s: None)
    assert len(httpserver.log) == 1
