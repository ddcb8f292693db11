"""Crosswalk resolution, translation and golden records on DuckDB."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import duckdb
import pytest

from snippets.mapping.crosswalk import (
    SCHEMA,
    CrosswalkConflict,
    UnknownSourceId,
    golden_records,
    record_version,
    resolve,
    translate,
)

at = datetime.fromisoformat


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(SCHEMA)
    return con


def ingest(con, system, source_id, **values):
    match = resolve(con, system, source_id, values.get("email"))
    record_version(con, match.canonical_id, system, values)
    return match


def test_new_record_gets_a_stable_canonical_id(con) -> None:
    first = ingest(
        con,
        "salesforce",
        "001A",
        name="Acme GmbH",
        email="ops@acme.example",
        updated_at=at("2026-01-01T00:00:00+00:00"),
    )
    again = resolve(con, "salesforce", "001A", "ops@acme.example")

    assert first.method == "new" and again.canonical_id == first.canonical_id
    assert again.method == "new"  # exact-ID hit returns the stored match, no new row
    assert con.execute("SELECT count(*) FROM entity_crosswalk").fetchone() == (1,)


def test_second_system_joins_by_email_and_ids_translate(con) -> None:
    sf = ingest(
        con,
        "salesforce",
        "001A",
        name="Acme GmbH",
        email="ops@acme.example",
        updated_at=at("2026-01-01T00:00:00+00:00"),
    )
    st = ingest(
        con,
        "stripe",
        "cus_9",
        name="ACME",
        email="OPS@acme.example",
        updated_at=at("2026-02-01T00:00:00+00:00"),
    )

    assert st.canonical_id == sf.canonical_id
    assert (st.method, st.confidence) == ("email", Decimal("0.90"))
    assert translate(con, "salesforce", "001A", "stripe") == "cus_9"
    assert translate(con, "stripe", "cus_9", "salesforce") == "001A"
    assert translate(con, "stripe", "cus_9", "netsuite") is None


def test_missing_source_id_is_an_error_not_a_none(con) -> None:
    with pytest.raises(UnknownSourceId, match="salesforce:001ZZZ"):
        translate(con, "salesforce", "001ZZZ", "stripe")


def test_conflict_when_email_belongs_to_another_record_of_the_same_system(con) -> None:
    ingest(con, "stripe", "cus_1", email="a@x.example", updated_at=at("2026-01-01T00:00:00+00:00"))
    with pytest.raises(CrosswalkConflict, match="another stripe record"):
        resolve(con, "stripe", "cus_2", "a@x.example")


def test_conflict_when_email_matches_two_customers(con) -> None:
    ingest(con, "salesforce", "001A", email="shared@x.example", updated_at=at("2026-01-01T00:00:00+00:00"))
    ingest(con, "stripe", "cus_7", email="other@x.example", updated_at=at("2026-01-01T00:00:00+00:00"))
    # someone edited the Stripe customer to the same email as the CRM one
    con.execute("UPDATE customer_versions SET email = 'shared@x.example' WHERE source_system = 'stripe'")
    with pytest.raises(CrosswalkConflict, match="matches 2 customers"):
        resolve(con, "hubspot", "55", "shared@x.example")


def test_golden_record_applies_each_survivorship_rule(con) -> None:
    ingest(
        con,
        "salesforce",
        "001A",
        name="Acme GmbH",
        email="old@acme.example",
        annual_revenue=Decimal("900000"),
        created_at=at("2024-05-01T00:00:00+00:00"),
        updated_at=at("2026-01-01T00:00:00+00:00"),
    )
    ingest(
        con,
        "stripe",
        "cus_9",
        name="ACME",
        email="old@acme.example",
        annual_revenue=Decimal("1200000"),
        created_at=at("2023-09-01T00:00:00+00:00"),
        updated_at=at("2026-03-01T00:00:00+00:00"),
    )
    # the Stripe record changes its email later: most recent wins
    cid = resolve(con, "stripe", "cus_9", None).canonical_id
    record_version(
        con,
        cid,
        "stripe",
        {
            "name": "ACME",
            "email": "billing@acme.example",
            "annual_revenue": Decimal("1200000"),
            "created_at": at("2023-09-01T00:00:00+00:00"),
            "updated_at": at("2026-04-01T00:00:00+00:00"),
        },
    )

    [golden] = golden_records(con)
    assert golden["name"] == "Acme GmbH"  # source priority: Salesforce first
    assert golden["email"] == "billing@acme.example"  # most recent
    assert golden["annual_revenue"] == Decimal("1200000.00")  # highest value
    assert golden["created_at"] == at("2023-09-01T00:00:00+00:00")  # earliest
    assert golden["source_count"] == 2


def test_null_values_never_win(con) -> None:
    ingest(
        con, "salesforce", "001A", name="Acme GmbH", email=None, updated_at=at("2026-05-01T00:00:00+00:00")
    )
    cid = resolve(con, "salesforce", "001A", None).canonical_id
    record_version(
        con,
        cid,
        "stripe",
        {"name": None, "email": "x@acme.example", "updated_at": at("2026-01-01T00:00:00+00:00")},
    )

    [golden] = golden_records(con)
    assert golden["name"] == "Acme GmbH" and golden["email"] == "x@acme.example"
