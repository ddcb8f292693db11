"""Avro schema evolution with fastavro: old data read with a new schema.

Avro data carries no field names. A reader resolves it with two schemas: the
one the data was written with (the writer's) and the one it wants (the
reader's). Fields are matched by name; a field only the reader has takes its
default, a field only the writer has is skipped. A change is compatible when
that resolution can always succeed.
"""

# --8<-- [start:schemas]
from __future__ import annotations

import io
from typing import Any

from fastavro import parse_schema, schemaless_reader, schemaless_writer
from fastavro.read import SchemaResolutionError

ORDER_V1 = parse_schema(
    {
        "type": "record",
        "name": "OrderPlaced",
        "namespace": "com.example.orders",
        "fields": [
            {"name": "order_id", "type": "string"},
            {"name": "amount_cents", "type": "long"},
            {"name": "coupon", "type": ["null", "string"], "default": None},
        ],
    }
)

# v2 adds a field with a default and drops "coupon".
ORDER_V2 = parse_schema(
    {
        "type": "record",
        "name": "OrderPlaced",
        "namespace": "com.example.orders",
        "fields": [
            {"name": "order_id", "type": "string"},
            {"name": "amount_cents", "type": "long"},
            {"name": "currency", "type": "string", "default": "EUR"},
        ],
    }
)
# --8<-- [end:schemas]


# --8<-- [start:roundtrip]
def encode(record: dict[str, Any], schema: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    schemaless_writer(buffer, schema, record)
    return buffer.getvalue()


def decode(data: bytes, writer_schema: dict[str, Any], reader_schema: dict[str, Any]) -> dict[str, Any]:
    return schemaless_reader(io.BytesIO(data), writer_schema, reader_schema)


def can_read(writer_schema: dict[str, Any], reader_schema: dict[str, Any], sample: dict[str, Any]) -> bool:
    """Can a reader on ``reader_schema`` decode this sample written with ``writer_schema``?"""
    try:
        decode(encode(sample, writer_schema), writer_schema, reader_schema)
    except SchemaResolutionError:
        return False
    return True


# --8<-- [end:roundtrip]


# --8<-- [start:breaking]
# Adding a field WITHOUT a default: readers on v3 cannot fill it from v1 data.
ORDER_V3_BREAKING = parse_schema(
    {
        "type": "record",
        "name": "OrderPlaced",
        "namespace": "com.example.orders",
        "fields": [
            {"name": "order_id", "type": "string"},
            {"name": "amount_cents", "type": "long"},
            {"name": "customer_id", "type": "string"},
        ],
    }
)

# Changing a type to one Avro cannot promote to (long -> int narrows).
ORDER_V4_BREAKING = parse_schema(
    {
        "type": "record",
        "name": "OrderPlaced",
        "namespace": "com.example.orders",
        "fields": [
            {"name": "order_id", "type": "string"},
            {"name": "amount_cents", "type": "int"},
        ],
    }
)
# --8<-- [end:breaking]
