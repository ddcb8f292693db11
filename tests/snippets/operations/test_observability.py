"""One trace id from the webhook sender to the ERP, through a Kafka-style record, on OpenTelemetry's SDK."""

from __future__ import annotations

import itertools

import httpx
import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import SpanKind, StatusCode
from pytest_httpserver import HTTPServer

from snippets.operations.observability import (
    CORRELATION_HEADER,
    KafkaHeaderGetter,
    KafkaHeaderSetter,
    Topic,
    create_receiver,
    process_next,
    publish,
)

UPSTREAM_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
UPSTREAM_SPAN = "00f067aa0ba902b7"


class SequentialIds(IdGenerator):
    """Deterministic ids, so failures are reproducible."""

    def __init__(self) -> None:
        self._spans = itertools.count(1)
        self._traces = itertools.count(1)

    def generate_span_id(self) -> int:
        return next(self._spans)

    def generate_trace_id(self) -> int:
        return 0xABC000 + next(self._traces)


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def tracer(exporter: InMemorySpanExporter):
    provider = TracerProvider(id_generator=SequentialIds())
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider.get_tracer("tests.observability")
    provider.shutdown()


@pytest.fixture
def topic() -> Topic:
    return Topic("orders")


def by_name(spans: tuple[ReadableSpan, ...]) -> dict[str, ReadableSpan]:
    return {span.name: span for span in spans}


def run_flow(tracer, topic: Topic, httpserver: HTTPServer, headers: dict[str, str]) -> httpx.Response:
    client = TestClient(create_receiver(tracer, topic))
    response = client.post("/webhooks/orders", json={"id": 7, "total": "19.90"}, headers=headers)
    with httpx.Client(timeout=5) as http:
        assert process_next(tracer, topic, http, httpserver.url_for("/orders")) is True
    return response


def test_one_trace_id_from_sender_to_erp(tracer, topic, exporter, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/orders", method="POST").respond_with_json({"ok": True})
    sender = f"00-{UPSTREAM_TRACE}-{UPSTREAM_SPAN}-01"
    response = run_flow(tracer, topic, httpserver, {"traceparent": sender, CORRELATION_HEADER: "req-42"})
    assert response.status_code == 202
    assert response.json() == {"accepted": True, "correlation_id": "req-42"}

    spans = by_name(exporter.get_finished_spans())
    assert set(spans) == {"POST /webhooks/orders", "send orders", "process orders", "POST erp /orders"}
    assert {format(s.context.trace_id, "032x") for s in spans.values()} == {UPSTREAM_TRACE}

    server, send, process, call = (
        spans[n] for n in ("POST /webhooks/orders", "send orders", "process orders", "POST erp /orders")
    )
    assert format(server.parent.span_id, "016x") == UPSTREAM_SPAN
    assert send.parent.span_id == server.context.span_id
    assert process.parent.span_id == send.context.span_id  # across the topic, via record headers
    assert call.parent.span_id == process.context.span_id
    assert [s.kind for s in (server, send, process, call)] == [
        SpanKind.SERVER,
        SpanKind.PRODUCER,
        SpanKind.CONSUMER,
        SpanKind.CLIENT,
    ]
    assert send.attributes["messaging.destination.name"] == "orders"
    assert process.attributes["messaging.operation.type"] == "process"
    assert process.attributes["app.correlation_id"] == "req-42"

    # The ERP saw the same trace, with the client span as its parent, and the correlation id.
    ((request, _),) = httpserver.log
    assert request.headers["traceparent"] == f"00-{UPSTREAM_TRACE}-{call.context.span_id:016x}-01"
    assert request.headers[CORRELATION_HEADER] == "req-42"


def test_record_headers_carry_the_producer_span(tracer, topic, exporter) -> None:
    record = publish(tracer, topic, key="7", value=b"{}", correlation_id="c-1")
    (send,) = exporter.get_finished_spans()
    names = [name for name, _ in record.headers]
    assert names == [CORRELATION_HEADER, "traceparent"]
    traceparent = dict(record.headers)["traceparent"]
    assert isinstance(traceparent, bytes)
    assert traceparent.decode() == f"00-{send.context.trace_id:032x}-{send.context.span_id:016x}-01"
    assert send.parent is None  # no incoming context: the producer starts the trace


def test_without_traceparent_the_receiver_starts_one_trace(tracer, topic, exporter, httpserver) -> None:
    httpserver.expect_request("/orders", method="POST").respond_with_json({"ok": True})
    response = run_flow(tracer, topic, httpserver, {})
    spans = exporter.get_finished_spans()
    assert len(spans) == 4
    assert len({s.context.trace_id for s in spans}) == 1
    assert by_name(spans)["POST /webhooks/orders"].parent is None
    assert response.json()["correlation_id"]  # generated when the sender gave none


@pytest.mark.parametrize(
    "bad",
    [
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # all-zero trace id is invalid
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  # flags missing
        "zz-not-a-trace-header",
    ],
)
def test_a_malformed_traceparent_is_ignored_not_fatal(tracer, topic, exporter, bad: str) -> None:
    client = TestClient(create_receiver(tracer, topic))
    response = client.post("/webhooks/orders", json={"id": 1}, headers={"traceparent": bad})
    assert response.status_code == 202
    server = by_name(exporter.get_finished_spans())["POST /webhooks/orders"]
    assert server.parent is None
    assert format(server.context.trace_id, "032x") != UPSTREAM_TRACE


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"total": 3}'])
def test_a_bad_payload_gets_a_clear_400(tracer, topic, exporter, body: bytes) -> None:
    client = TestClient(create_receiver(tracer, topic))
    response = client.post("/webhooks/orders", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert "JSON object with an 'id'" in response.json()["error"]
    assert topic.poll() is None
    (server,) = exporter.get_finished_spans()
    assert server.status.status_code is StatusCode.ERROR


def test_a_failing_erp_marks_the_consumer_span_with_an_error_class(
    tracer, topic, exporter, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/orders", method="POST").respond_with_data("down", status=503)
    client = TestClient(create_receiver(tracer, topic))
    client.post("/webhooks/orders", json={"id": 9})
    with httpx.Client(timeout=5) as http, pytest.raises(httpx.HTTPStatusError):
        process_next(tracer, topic, http, httpserver.url_for("/orders"))
    process = by_name(exporter.get_finished_spans())["process orders"]
    assert process.status.status_code is StatusCode.ERROR
    assert process.attributes["error.type"] == "HTTPStatusError"


def test_an_empty_topic_does_nothing(tracer, topic, exporter) -> None:
    with httpx.Client() as http:
        assert process_next(tracer, topic, http, "http://127.0.0.1:9/never") is False
    assert exporter.get_finished_spans() == ()


def test_header_carrier_replaces_and_reads_case_insensitively() -> None:
    headers = [("traceparent", b"old"), ("other", b"x")]
    KafkaHeaderSetter().set(headers, "traceparent", "new")
    assert headers == [("other", b"x"), ("traceparent", b"new")]
    getter = KafkaHeaderGetter()
    assert getter.get([("TraceParent", b"v")], "traceparent") == ["v"]
    assert getter.get(headers, "tracestate") is None
    assert getter.keys(headers) == ["other", "traceparent"]
