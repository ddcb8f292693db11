"""Schema drift detection on real DuckDB tables."""

from __future__ import annotations

import duckdb
import pytest

from snippets.mapping.schema_drift import Drift, detect_drift, fingerprint, impacted_fields, read_schema


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE stripe_customers "
        "(id VARCHAR, email VARCHAR, name VARCHAR, created BIGINT, balance INTEGER)"
    )
    return con


def test_unchanged_schema_has_no_drift_and_the_same_fingerprint(con) -> None:
    before = read_schema(con, "stripe_customers")
    assert detect_drift(before, read_schema(con, "stripe_customers")) == []
    assert fingerprint(before) == fingerprint(dict(reversed(list(before.items()))))


def test_added_removed_retyped_and_renamed_are_told_apart(con) -> None:
    before = read_schema(con, "stripe_customers")
    con.execute("ALTER TABLE stripe_customers ADD COLUMN phone VARCHAR")
    con.execute("ALTER TABLE stripe_customers DROP COLUMN balance")
    con.execute("ALTER TABLE stripe_customers ALTER created TYPE TIMESTAMP USING to_timestamp(created)")
    con.execute("ALTER TABLE stripe_customers RENAME COLUMN email TO email_address")
    after = read_schema(con, "stripe_customers")

    drifts = detect_drift(before, after)

    assert drifts == [
        Drift("removed", "balance", before="INTEGER"),
        Drift("renamed", "email_address", before="email", after="email_address"),
        Drift("retyped", "created", "BIGINT", "TIMESTAMP"),
        Drift("added", "phone", after="VARCHAR"),
    ]
    assert [d.severity for d in drifts] == ["breaking", "breaking", "breaking", "info"]
    assert fingerprint(before) != fingerprint(after)


def test_a_new_column_of_another_type_is_not_mistaken_for_a_rename() -> None:
    drifts = detect_drift(
        {"id": "VARCHAR", "email": "VARCHAR"}, {"id": "VARCHAR", "email_verified": "BOOLEAN"}
    )
    assert {d.kind for d in drifts} == {"removed", "added"}


def test_dissimilar_names_stay_remove_plus_add() -> None:
    drifts = detect_drift({"id": "VARCHAR", "email": "VARCHAR"}, {"id": "VARCHAR", "nickname": "VARCHAR"})
    assert [d.kind for d in drifts] == ["removed", "added"]


def test_each_new_column_is_used_by_one_rename_at_most() -> None:
    drifts = detect_drift(
        {"first_name": "VARCHAR", "last_name": "VARCHAR"}, {"given_name": "VARCHAR", "first_nme": "VARCHAR"}
    )
    renames = [d for d in drifts if d.kind == "renamed"]
    assert renames == [Drift("renamed", "first_nme", before="first_name", after="first_nme")]


def test_impact_analysis_names_the_broken_canonical_fields() -> None:
    drifts = detect_drift(
        {"id": "VARCHAR", "email": "VARCHAR", "created": "BIGINT", "note": "VARCHAR"},
        {"id": "VARCHAR", "email_address": "VARCHAR", "created": "TIMESTAMP", "phone": "VARCHAR"},
    )
    impact = impacted_fields(drifts, {"id": "external_ids", "email": "email", "created": "created_at"})

    assert sorted(impact) == ["created_at", "email"]
    assert impact["email"][0].kind == "renamed"


def test_missing_table_is_reported(con) -> None:
    with pytest.raises(LookupError, match="nope"):
        read_schema(con, "nope")
