"""The EventBridge rule on the page, checked with the offline matcher."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from snippets.events.eventbridge import matches, transform

RULE = json.loads(Path("snippets/events/eventbridge_rule.json").read_text())
PATTERN, TRANSFORMER = RULE["EventPattern"], RULE["InputTransformer"]

EVENT = {
    "version": "0",
    "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "OrderPlaced",
    "source": "com.example.orders",
    "account": "111122223333",
    "time": "2026-11-25T10:00:00Z",
    "region": "eu-west-1",
    "resources": [],
    "detail": {
        "order_id": "o-42",
        "amount_cents": 250000,
        "currency": "EUR",
        "channel": "web",
        "customer": {"tier": "gold-plus"},
    },
}


def with_detail(**changes: object) -> dict:
    event = copy.deepcopy(EVENT)
    event["detail"].update(changes)
    return event


def test_large_gold_order_matches() -> None:
    assert matches(PATTERN, EVENT)


@pytest.mark.parametrize(
    "event",
    [
        with_detail(amount_cents=99999),  # below the numeric bound
        with_detail(amount_cents="250000"),  # a string is not a number
        with_detail(currency="USD"),  # not in the allowed list
        with_detail(channel="test"),  # excluded by anything-but
        with_detail(customer={"tier": "silver"}),  # prefix does not match
        with_detail(coupon="WELCOME"),  # must not exist
        {**EVENT, "source": "com.example.billing"},
    ],
)
def test_near_misses_do_not_match(event: dict) -> None:
    assert not matches(PATTERN, event)


def test_missing_nested_object_does_not_match() -> None:
    event = copy.deepcopy(EVENT)
    del event["detail"]["customer"]
    assert not matches(PATTERN, event)


def test_array_values_match_if_any_element_matches() -> None:
    assert matches({"resources": ["arn:aws:s3:::a"]}, {**EVENT, "resources": ["x", "arn:aws:s3:::a"]})
    assert not matches({"resources": ["arn:aws:s3:::a"]}, EVENT)


def test_exact_values_compare_types() -> None:
    assert not matches({"detail": {"amount_cents": ["250000"]}}, EVENT)
    assert matches({"detail": {"amount_cents": [250000]}}, EVENT)


def test_unsupported_operators_are_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match="not supported"):
        matches({"source": [{"wildcard": "com.*"}]}, EVENT)
    with pytest.raises(ValueError, match="one operator"):
        matches({"source": [{"prefix": "com", "suffix": "s"}]}, EVENT)


def test_input_transformer_renders_valid_json() -> None:
    rendered = transform(TRANSFORMER, EVENT)
    assert json.loads(rendered) == {"text": "Large order o-42 (250000 cents) at 2026-11-25T10:00:00Z"}


def test_every_placeholder_is_mapped() -> None:
    import re

    used = set(re.findall(r"<([A-Za-z0-9_.-]+)>", TRANSFORMER["InputTemplate"]))
    assert used == set(TRANSFORMER["InputPathsMap"])
    assert all(path.startswith("$.") for path in TRANSFORMER["InputPathsMap"].values())
