"""One trace across a webhook receiver, a Kafka-style topic and a worker, with W3C Trace Context."""

# --8<-- [start:carriers]
import json
import uuid
from collections import deque
from dataclasses import dataclass, field

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from opentelemetry.propagators.textmap import Getter, Setter
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

# Only the W3C headers (traceparent, tracestate): what every hop here agrees on.
PROPAGATOR = TraceContextTextMapPropagator()

# Kafka record headers are an ordered list of (name, bytes) pairs; a name may repeat.
KafkaHeaders = list[tuple[str, bytes]]


class KafkaHeaderSetter(Setter[KafkaHeaders]):
    def set(self, carrier: KafkaHeaders, key: str, value: str) -> None:
        carrier[:] = [(name, raw) for name, raw in carrier if name != key]  # replace, never duplicate
        carrier.append((key, value.encode("ascii")))


class KafkaHeaderGetter(Getter[KafkaHeaders]):
    def get(self, carrier: KafkaHeaders, key: str) -> list[str] | None:
        values = [raw.decode("ascii", "replace") for name, raw in carrier if name.lower() == key]
        return values or None

    def keys(self, carrier: KafkaHeaders) -> list[str]:
        return [name for name, _ in carrier]


@dataclass
class Record:
    topic: str
    key: bytes
    value: bytes
    headers: KafkaHeaders = field(default_factory=list)


class Topic:
    """An in-process stand-in for a Kafka topic: the same record shape, no broker."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._records: deque[Record] = deque()

    def produce(self, record: Record) -> None:
        self._records.append(record)

    def poll(self) -> Record | None:
        return self._records.popleft() if self._records else None


# --8<-- [end:carriers]


# --8<-- [start:receiver]
CORRELATION_HEADER = "x-correlation-id"


def create_receiver(tracer: Tracer, topic: Topic) -> FastAPI:
    app = FastAPI()

    @app.post("/webhooks/orders", status_code=202)
    async def receive(request: Request) -> JSONResponse:
        # Continue the sender's trace if it sent a valid traceparent; start one if not.
        parent = PROPAGATOR.extract(dict(request.headers))
        with tracer.start_as_current_span(
            "POST /webhooks/orders", context=parent, kind=SpanKind.SERVER
        ) as span:
            body = await request.body()
            try:
                order_id = str(json.loads(body)["id"])
            except (ValueError, KeyError, TypeError):
                span.set_status(Status(StatusCode.ERROR, "bad payload"))
                return JSONResponse({"error": "body must be a JSON object with an 'id'"}, status_code=400)
            correlation_id = request.headers.get(CORRELATION_HEADER) or str(uuid.uuid4())
            span.set_attribute("app.correlation_id", correlation_id)
            publish(tracer, topic, key=order_id, value=body, correlation_id=correlation_id)
        return JSONResponse({"accepted": True, "correlation_id": correlation_id}, status_code=202)

    return app


def publish(tracer: Tracer, topic: Topic, *, key: str, value: bytes, correlation_id: str) -> Record:
    with tracer.start_as_current_span(
        f"send {topic.name}",
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.system": "kafka",
            "messaging.operation.type": "send",
            "messaging.destination.name": topic.name,
        },
    ):
        record = Record(topic.name, key.encode(), value, [(CORRELATION_HEADER, correlation_id.encode())])
        # Inject inside the producer span: the consumer's parent is this send.
        PROPAGATOR.inject(record.headers, setter=KafkaHeaderSetter())
        topic.produce(record)
        return record


# --8<-- [end:receiver]


# --8<-- [start:worker]


def process_next(tracer: Tracer, topic: Topic, client: httpx.Client, erp_url: str) -> bool:
    """Take one record, continue its trace, and post the order to the ERP."""
    record = topic.poll()
    if record is None:
        return False
    parent = PROPAGATOR.extract(record.headers, getter=KafkaHeaderGetter())
    correlation = KafkaHeaderGetter().get(record.headers, CORRELATION_HEADER) or ["unknown"]
    with tracer.start_as_current_span(
        f"process {topic.name}",
        context=parent,
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.destination.name": topic.name,
            "app.correlation_id": correlation[0],
        },
    ) as span:
        try:
            with tracer.start_as_current_span("POST erp /orders", kind=SpanKind.CLIENT):
                headers = {CORRELATION_HEADER: correlation[0]}
                PROPAGATOR.inject(headers)  # the ERP (or its gateway) can join the same trace
                client.post(erp_url, content=record.value, headers=headers).raise_for_status()
        except httpx.HTTPError as error:
            # Classify errors so dashboards can split "ERP down" from "our bug".
            span.set_attribute("error.type", type(error).__name__)
            span.set_status(Status(StatusCode.ERROR, str(error)))
            raise
    return True


# --8<-- [end:worker]
