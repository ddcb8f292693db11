"""Contracts for APIs and events: validate payloads, carry them as CloudEvents, refuse breaking changes."""

# --8<-- [start:validate]
import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml
from cloudevents.core.bindings import http as ce_http
from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.v1.event import CloudEvent
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from jsonschema import Draft7Validator, Draft202012Validator
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7, DRAFT202012

CONTRACTS = Path(__file__).parent


def load_contract(name: str) -> dict[str, Any]:
    return yaml.safe_load((CONTRACTS / name).read_text(encoding="utf-8"))


def validator_for(contract: dict[str, Any], pointer: str) -> Validator:
    """A validator for one schema inside an OpenAPI 3.1 or AsyncAPI 3.0 document.

    `pointer` is a JSON pointer such as ``/components/schemas/Order``; `$ref`s inside
    the schema resolve against the whole document.
    """
    if contract.get("openapi", "").startswith("3.1"):
        cls, spec = Draft202012Validator, DRAFT202012  # OpenAPI 3.1 schemas are 2020-12
    else:
        cls, spec = Draft7Validator, DRAFT7  # AsyncAPI's default schema format builds on draft 7
    uri = "urn:contract"
    registry = Registry().with_resource(uri, Resource.from_contents(contract, default_specification=spec))
    return cls({"$ref": f"{uri}#{pointer}"}, registry=registry, format_checker=cls.FORMAT_CHECKER)


def contract_errors(validator: Validator, payload: Any) -> list[str]:
    """Every violation, as 'path: message', sorted so reports are stable."""
    return sorted(
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in validator.iter_errors(payload)
    )


# --8<-- [end:validate]


# --8<-- [start:cloudevents]
ORDER_PLACED = "com.example.erp.order.placed"
SCHEMA_URL = "https://schemas.example.com/order-events/1.2.0#OrderPlaced"


def order_placed_event(order: dict[str, Any], *, event_id: str, at: dt.datetime) -> CloudEvent:
    attributes = {
        "type": ORDER_PLACED,
        "source": "/erp/orders",
        "id": event_id,  # unique per source: consumers deduplicate on (source, id)
        "time": at,
        "subject": order["order_id"],
        "datacontenttype": "application/json",
        "dataschema": SCHEMA_URL,
        "partitionkey": order["order_id"],  # extension: becomes the Kafka record key
    }
    return CloudEvent(attributes, order)


def as_http(event: CloudEvent, *, structured: bool) -> tuple[dict[str, str], bytes]:
    """Binary mode: attributes in ce-* headers, data as the body. Structured: one JSON envelope."""
    message = ce_http.to_structured_event(event) if structured else ce_http.to_binary_event(event)
    return dict(message.headers), message.body


def as_kafka(event: CloudEvent, *, structured: bool) -> tuple[bytes | None, bytes, list[tuple[str, bytes]]]:
    """Key, value and headers in the shape Kafka clients take (ce_* headers in binary mode)."""
    message = ce_kafka.to_structured_event(event) if structured else ce_kafka.to_binary_event(event)
    key = message.key.encode() if isinstance(message.key, str) else message.key
    return key, message.value, list(message.headers.items())


def from_kafka(key: bytes | None, value: bytes, headers: list[tuple[str, bytes]]) -> CloudEvent:
    message = ce_kafka.KafkaMessage(headers=dict(headers), key=key, value=value)
    return ce_kafka.from_kafka_event(message)  # detects binary or structured mode


# --8<-- [end:cloudevents]


# --8<-- [start:receiver]
def create_event_receiver(received: list[CloudEvent]) -> FastAPI:
    payload = validator_for(load_contract("orders_asyncapi.yaml"), "/components/schemas/OrderPlaced")
    app = FastAPI()

    @app.post("/events", status_code=202)
    async def receive(request: Request) -> JSONResponse:
        try:
            event = ce_http.from_http_event(ce_http.HTTPMessage(dict(request.headers), await request.body()))
        except Exception as error:  # the SDK raises several types for a bad envelope
            return JSONResponse({"error": f"not a CloudEvent: {error}"}, status_code=400)
        if event.get_type() != ORDER_PLACED:
            return JSONResponse({"error": f"unexpected type {event.get_type()!r}"}, status_code=400)
        errors = contract_errors(payload, event.get_data())
        if errors:
            return JSONResponse({"error": "payload breaks the contract", "details": errors}, status_code=422)
        received.append(event)
        return JSONResponse({"id": event.get_id()}, status_code=202)

    return app


# --8<-- [end:receiver]


# --8<-- [start:compatibility]
JSON = dict[str, Any]


def _types(schema: JSON) -> set[str]:
    declared = schema.get("type", [])
    return {declared} if isinstance(declared, str) else set(declared)


def breaking_changes(old: JSON, new: JSON, *, readers: bool, path: str = "") -> list[str]:
    """Changes from `old` to `new` that break the other side of the contract.

    readers=True: the schema describes what you *send* (responses, events); existing
    readers break when a field they rely on goes away or changes, or an enum grows.
    readers=False: the schema describes what you *receive* (request bodies); existing
    writers break when you demand more or accept less.
    """
    where = path or "(root)"
    found: list[str] = []
    old_types, new_types = _types(old), _types(new)
    if old_types and new_types and old_types != new_types:
        narrowed = not readers and not old_types <= new_types
        if readers or narrowed:
            found.append(f"{where}: type {sorted(old_types)} became {sorted(new_types)}")
    old_enum, new_enum = set(old.get("enum", [])), set(new.get("enum", []))
    if readers and new_enum - old_enum and old_enum:
        found.append(f"{where}: enum gained {sorted(new_enum - old_enum)} that readers do not know")
    if not readers and old_enum - new_enum and new_enum:
        found.append(f"{where}: enum lost {sorted(old_enum - new_enum)} that writers still send")

    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_req, new_req = set(old.get("required", [])), set(new.get("required", []))
    for name in sorted(old_props.keys() | new_props.keys()):
        child = f"{path}/{name}"
        if readers and name in old_req and name not in new_req:
            found.append(f"{child}: no longer always present (was required)")
        elif not readers and name in new_req and name not in old_req:
            found.append(f"{child}: newly required; existing writers do not send it")
        if name in old_props and name in new_props:
            found += breaking_changes(old_props[name], new_props[name], readers=readers, path=child)
    if not readers and old.get("additionalProperties", True) and new.get("additionalProperties") is False:
        found.append(f"{where}: no longer accepts unknown fields")
    return found


def main(argv: list[str] | None = None) -> int:
    """CI entry point: exit 1 and list the reasons when a schema change is breaking."""
    parser = argparse.ArgumentParser(description="Refuse breaking changes to a JSON Schema.")
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--role", choices=["sent", "received"], required=True)
    args = parser.parse_args(argv)
    try:
        old, new = (json.loads(p.read_text(encoding="utf-8")) for p in (args.old, args.new))
    except (OSError, ValueError) as error:
        print(f"cannot read schemas: {error}", file=sys.stderr)
        return 2
    problems = breaking_changes(old, new, readers=args.role == "sent")
    for problem in problems:
        print(f"BREAKING {problem}", file=sys.stderr)
    return 1 if problems else 0


# --8<-- [end:compatibility]

if __name__ == "__main__":  # pragma: no cover - exercised through main() in the tests
    raise SystemExit(main())
