"""Mapping two systems into the canonical customer, with per-record errors."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from snippets.mapping.canonical_model import CanonicalCustomer, map_records, upcast

SALESFORCE = [
    {
        "Id": "001A000001",
        "Name": "Acme GmbH",
        "IsPersonAccount": False,
        "BillingCountry": "Germany",
        "AnnualRevenue": 1_250_000,
        "CreatedDate": "2025-03-01T09:30:00.000+0000",
        "LastModifiedDate": "2026-10-02T11:00:00.000+0000",
    },
    {
        "Id": "001A000002",
        "Name": "J",  # too short
        "IsPersonAccount": True,
        "BillingCountry": "Atlantis",  # no ISO code
        "AnnualRevenue": -5,
        "CreatedDate": "2025-04-01T00:00:00Z",
    },
]
STRIPE = [
    {
        "id": "cus_Q1",
        "name": "Acme GmbH",
        "email": "Billing@Acme.example",
        "metadata": {"customer_type": "business"},
        "address": {"country": "de"},
        "created": 1_740_000_000,
    },
    {
        "id": "cus_Q2",
        "name": "Bo Li",
        "email": "bo-at-example",
        "metadata": {},
        "address": None,
        "created": 1,
    },
]


def test_valid_salesforce_account_maps_every_mapped_field() -> None:
    result = map_records("salesforce", SALESFORCE[:1])

    assert result.errors == []
    customer = result.customers[0]
    assert customer.external_ids == {"salesforce": "001A000001"}
    assert customer.customer_type == "business"
    assert customer.country_code == "DE"
    assert customer.annual_revenue == Decimal("1250000")
    assert customer.email is None  # unmapped for Salesforce Account
    assert customer.created_at == datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    assert customer.schema_version == 2 and customer.canonical_id is None


def test_every_problem_of_a_bad_record_is_reported_once_per_field() -> None:
    result = map_records("salesforce", SALESFORCE)

    assert len(result.customers) == 1
    fields = sorted(e.field for e in result.errors)
    assert fields == ["annual_revenue", "country_code", "name"]
    assert {e.source_id for e in result.errors} == {"001A000002"}
    assert all(e.system == "salesforce" for e in result.errors)


def test_stripe_records_convert_types_and_report_missing_values() -> None:
    result = map_records("stripe", STRIPE)

    good = result.customers[0]
    assert good.email == "billing@acme.example"
    assert good.country_code == "DE"
    assert good.created_at == datetime.fromtimestamp(1_740_000_000, UTC)
    errors = {(e.source_id, e.field) for e in result.errors}
    assert errors == {("cus_Q2", "email"), ("cus_Q2", "customer_type"), ("cus_Q2", "country_code")}


def test_a_record_without_an_id_is_reported_not_dropped() -> None:
    record = dict(STRIPE[0], id=None)
    result = map_records("stripe", [record])

    assert result.customers == []
    assert [(e.source_id, e.field) for e in result.errors] == [("<no id>", "external_ids")]
    assert "at least 1 item" in result.errors[0].message


def test_wrong_types_are_refused() -> None:
    record = dict(SALESFORCE[0], AnnualRevenue="a lot", CreatedDate="yesterday")
    result = map_records("salesforce", [record])

    assert {e.field for e in result.errors} == {"annual_revenue", "created_at"}


def test_unknown_fields_are_refused_by_the_model() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        CanonicalCustomer.model_validate(
            {
                "external_ids": {"x": "1"},
                "name": "Ab",
                "customer_type": "business",
                "country_code": "DE",
                "created_at": "2026-01-01T00:00:00Z",
                "nickname": "A",
            }
        )


def test_version_1_payloads_are_upcast_to_version_2() -> None:
    v1 = {
        "source_id": "stripe:cus_Q1",
        "name": "Acme GmbH",
        "customer_type": "business",
        "country_code": "DE",
        "created_at": "2025-01-01T00:00:00Z",
    }
    customer = upcast(v1)
    assert customer.schema_version == 2
    assert customer.external_ids == {"stripe": "cus_Q1"}
    assert upcast(customer.model_dump()) == customer
