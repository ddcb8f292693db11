"""Contracts: jsonschema on OpenAPI 3.1 and AsyncAPI 3.0, CloudEvents round trips, a breaking-change gate."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from cloudevents.core.v1.event import CloudEvent
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

from snippets.operations.contracts import (
    ORDER_PLACED,
    SCHEMA_URL,
    as_http,
    as_kafka,
    breaking_changes,
    contract_errors,
    create_event_receiver,
    from_kafka,
    load_contract,
    main,
    order_placed_event,
    validator_for,
)

AT = dt.datetime(2026, 11, 30, 9, 15, tzinfo=dt.UTC)
PLACED = {"order_id": "SO-1001", "customer_id": "C-7", "total": "42.50", "placed_at": "2026-11-30T09:15:00Z"}
GOOD_ORDER = {
    "id": "SO-1001",
    "customer_id": "C-7",
    "status": "placed",
    "total": {"amount": "42.50", "currency": "EUR"},
}


@pytest.fixture(scope="module")
def openapi() -> dict:
    return load_contract("orders_openapi.yaml")


@pytest.fixture(scope="module")
def asyncapi() -> dict:
    return load_contract("orders_asyncapi.yaml")


def test_the_contract_fragments_have_the_versions_the_page_names(openapi: dict, asyncapi: dict) -> None:
    assert openapi["openapi"] == "3.1.0"
    assert asyncapi["asyncapi"] == "3.0.0"
    operation = asyncapi["operations"]["sendOrderPlaced"]
    assert operation["action"] == "send"
    assert asyncapi["channels"]["orderEvents"]["address"] == "erp.orders.v1"


def test_a_valid_order_passes_the_openapi_schema(openapi: dict) -> None:
    validator = validator_for(openapi, "/components/schemas/Order")
    assert isinstance(validator, Draft202012Validator)
    assert contract_errors(validator, GOOD_ORDER) == []
    assert contract_errors(validator, {**GOOD_ORDER, "note": None}) == []  # 3.1 allows type lists


def test_every_violation_is_reported_with_its_path(openapi: dict) -> None:
    validator = validator_for(openapi, "/components/schemas/Order")
    bad = {"id": "SO-1", "status": "lost", "total": {"amount": "4,50", "currency": "eur", "fx": 1}}
    errors = contract_errors(validator, bad)
    assert any(e.startswith("(root): 'customer_id' is a required property") for e in errors)
    assert any(e.startswith("status: 'lost' is not one of") for e in errors)
    assert any(e.startswith("total/amount: '4,50' does not match") for e in errors)  # via $ref to Money
    assert any(e.startswith("total/currency: 'eur' does not match") for e in errors)
    assert any(e.startswith("total: Additional properties are not allowed") for e in errors)
    assert len(errors) == 5


def test_asyncapi_payload_checks_formats(asyncapi: dict) -> None:
    validator = validator_for(asyncapi, "/components/schemas/OrderPlaced")
    assert contract_errors(validator, PLACED) == []
    errors = contract_errors(validator, {**PLACED, "placed_at": "yesterday"})
    assert len(errors) == 1
    assert errors[0].startswith("placed_at: 'yesterday' does not match")
    assert contract_errors(validator, {**PLACED, "placed_at": "2026-11-30T09:15:00.250+01:00"}) == []


@pytest.mark.parametrize("structured", [False, True], ids=["binary", "structured"])
def test_cloudevent_round_trip_over_http(structured: bool) -> None:
    event = order_placed_event(PLACED, event_id="evt-1", at=AT)
    headers, body = as_http(event, structured=structured)
    if structured:
        assert headers["content-type"] == "application/cloudevents+json"
        envelope = json.loads(body)
        assert envelope["specversion"] == "1.0"
        assert envelope["type"] == ORDER_PLACED
        assert envelope["data"] == PLACED
    else:
        assert headers["ce-type"] == ORDER_PLACED
        assert headers["ce-id"] == "evt-1"
        assert headers["ce-specversion"] == "1.0"
        assert headers["content-type"] == "application/json"
        assert json.loads(body) == PLACED  # the body is the data alone

    received: list[CloudEvent] = []
    client = TestClient(create_event_receiver(received))
    response = client.post("/events", content=body, headers=headers)
    assert response.status_code == 202, response.text
    (back,) = received
    assert back.get_id() == "evt-1"
    assert back.get_source() == "/erp/orders"
    assert back.get_dataschema() == SCHEMA_URL
    assert back.get_time() == AT
    assert back.get_data() == PLACED


@pytest.mark.parametrize("structured", [False, True], ids=["binary", "structured"])
def test_cloudevent_round_trip_over_kafka_headers(structured: bool) -> None:
    event = order_placed_event(PLACED, event_id="evt-2", at=AT)
    key, value, headers = as_kafka(event, structured=structured)
    assert key == b"SO-1001"  # partitionkey extension: one order stays on one partition
    assert all(isinstance(v, bytes) for _, v in headers)
    names = {name for name, _ in headers}
    if structured:
        assert "ce_type" not in names
        assert json.loads(value)["id"] == "evt-2"
    else:
        assert {"ce_type", "ce_id", "ce_source", "ce_specversion"} <= names
    back = from_kafka(key, value, headers)
    assert (back.get_type(), back.get_id(), back.get_subject()) == (ORDER_PLACED, "evt-2", "SO-1001")
    assert back.get_data() == PLACED


def test_receiver_rejects_bad_events_with_clear_messages() -> None:
    received: list[CloudEvent] = []
    client = TestClient(create_event_receiver(received))

    not_an_event = client.post("/events", content=b"{}", headers={"content-type": "application/json"})
    assert not_an_event.status_code == 400
    assert not_an_event.json()["error"].startswith("not a CloudEvent")

    other = CloudEvent({"type": "com.example.other", "source": "/x", "id": "1", "time": AT}, {"a": 1})
    headers, body = as_http(other, structured=False)
    wrong_type = client.post("/events", content=body, headers=headers)
    assert wrong_type.status_code == 400
    assert "unexpected type" in wrong_type.json()["error"]

    broken = order_placed_event({**PLACED, "total": 42.5}, event_id="evt-3", at=AT)
    headers, body = as_http(broken, structured=True)
    response = client.post("/events", content=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["details"] == ["total: 42.5 is not of type 'string'"]
    assert received == []


def order_schema(openapi: dict) -> dict:
    return copy.deepcopy(openapi["components"]["schemas"]["Order"])


def test_additive_changes_are_compatible_both_ways(openapi: dict) -> None:
    old = order_schema(openapi)
    new = order_schema(openapi)
    new["properties"]["channel"] = {"type": "string"}  # new optional field
    assert breaking_changes(old, new, readers=True) == []
    assert breaking_changes(old, new, readers=False) == []


def test_changes_that_break_readers(openapi: dict) -> None:
    old = order_schema(openapi)
    new = order_schema(openapi)
    new["required"].remove("customer_id")
    new["properties"]["status"]["enum"].append("refunded")
    new["properties"]["id"]["type"] = "integer"
    assert breaking_changes(old, new, readers=True) == [
        "/customer_id: no longer always present (was required)",
        "/id: type ['string'] became ['integer']",
        "/status: enum gained ['refunded'] that readers do not know",
    ]


def test_changes_that_break_writers(openapi: dict) -> None:
    old = order_schema(openapi)
    new = order_schema(openapi)
    new["required"].append("channel")
    new["properties"]["channel"] = {"type": "string"}
    new["properties"]["status"]["enum"].remove("cancelled")
    new["properties"]["note"]["type"] = "string"  # no longer accepts null
    new["additionalProperties"] = False
    assert breaking_changes(old, new, readers=False) == [
        "/channel: newly required; existing writers do not send it",
        "/note: type ['null', 'string'] became ['string']",
        "/status: enum lost ['cancelled'] that writers still send",
        "(root): no longer accepts unknown fields",
    ]
    widened = order_schema(openapi)
    widened["properties"]["id"]["type"] = ["string", "integer"]
    assert breaking_changes(old, widened, readers=False) == []  # accepting more is fine


def test_the_checker_agrees_with_a_validator_on_a_witness(openapi: dict) -> None:
    """A change flagged as breaking for readers has a document the old schema accepts and the new refuses."""
    old = order_schema(openapi)
    new = order_schema(openapi)
    new["required"].append("channel")
    new["properties"]["channel"] = {"type": "string"}
    assert breaking_changes(old, new, readers=False)
    registry_doc = copy.deepcopy(openapi)
    registry_doc["components"]["schemas"]["Order"] = new
    old_validator = validator_for(openapi, "/components/schemas/Order")
    new_validator = validator_for(registry_doc, "/components/schemas/Order")
    assert contract_errors(old_validator, GOOD_ORDER) == []
    assert contract_errors(new_validator, GOOD_ORDER) == ["(root): 'channel' is a required property"]


def test_ci_gate_exit_codes(tmp_path: Path, openapi: dict, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = order_schema(openapi), order_schema(openapi)
    new["required"].remove("status")
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    (tmp_path / "same.json").write_text(json.dumps(old))
    (tmp_path / "bad.json").write_text("{not json")
    args = [str(tmp_path / "old.json")]
    assert main([*args, str(tmp_path / "same.json"), "--role", "sent"]) == 0
    assert main([*args, str(tmp_path / "new.json"), "--role", "sent"]) == 1
    assert "BREAKING /status: no longer always present" in capsys.readouterr().err
    assert main([*args, str(tmp_path / "new.json"), "--role", "received"]) == 0
    assert main([*args, str(tmp_path / "bad.json"), "--role", "sent"]) == 2
    assert "cannot read schemas" in capsys.readouterr().err
