"""Avro schema resolution with fastavro: compatible and incompatible changes."""

from __future__ import annotations

import pytest
from fastavro.read import SchemaResolutionError

from snippets.events.schema_evolution import (
    ORDER_V1,
    ORDER_V2,
    ORDER_V3_BREAKING,
    ORDER_V4_BREAKING,
    can_read,
    decode,
    encode,
)

V1_ORDER = {"order_id": "o-1", "amount_cents": 1999, "coupon": "WELCOME"}
V2_ORDER = {"order_id": "o-2", "amount_cents": 500, "currency": "USD"}


def test_v1_data_read_with_v2_gets_the_default_and_drops_the_removed_field() -> None:
    # Backward compatible: consumers upgraded to v2 read data written with v1.
    assert decode(encode(V1_ORDER, ORDER_V1), ORDER_V1, ORDER_V2) == {
        "order_id": "o-1",
        "amount_cents": 1999,
        "currency": "EUR",
    }


def test_v2_data_read_with_v1_fills_the_optional_field() -> None:
    # Forward compatible: consumers still on v1 read data written with v2,
    # because the field v2 removed had a default in v1.
    assert decode(encode(V2_ORDER, ORDER_V2), ORDER_V2, ORDER_V1) == {
        "order_id": "o-2",
        "amount_cents": 500,
        "coupon": None,
    }


def test_same_schema_roundtrip_is_lossless() -> None:
    assert decode(encode(V1_ORDER, ORDER_V1), ORDER_V1, ORDER_V1) == V1_ORDER


def test_new_field_without_default_breaks_old_data() -> None:
    data = encode(V1_ORDER, ORDER_V1)
    with pytest.raises(SchemaResolutionError):
        decode(data, ORDER_V1, ORDER_V3_BREAKING)
    assert not can_read(ORDER_V1, ORDER_V3_BREAKING, V1_ORDER)


def test_narrowing_a_type_is_incompatible() -> None:
    assert not can_read(ORDER_V1, ORDER_V4_BREAKING, V1_ORDER)


def test_compatibility_matrix() -> None:
    assert can_read(ORDER_V1, ORDER_V2, V1_ORDER)  # backward
    assert can_read(ORDER_V2, ORDER_V1, V2_ORDER)  # forward
    # v3 data is readable by v1 readers (they skip customer_id), but not the reverse.
    assert can_read(ORDER_V3_BREAKING, ORDER_V1, {"order_id": "o", "amount_cents": 1, "customer_id": "c"})
