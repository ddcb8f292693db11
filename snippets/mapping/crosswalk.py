"""A crosswalk (ID map) across systems and a golden record, in DuckDB.

The crosswalk gives every customer one canonical ID and remembers which ID
it has in each system. Survivorship rules then pick, field by field, which
system's value the golden record keeps.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

# --8<-- [start:schema]
SCHEMA = """
CREATE TABLE IF NOT EXISTS entity_crosswalk (
    entity_type   VARCHAR NOT NULL,
    canonical_id  VARCHAR NOT NULL,
    source_system VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    match_method  VARCHAR NOT NULL,        -- exact_id, email, new
    confidence    DECIMAL(3, 2) NOT NULL,
    PRIMARY KEY (entity_type, source_system, source_id)
);
CREATE TABLE IF NOT EXISTS customer_versions (  -- latest mapped record per system
    canonical_id   VARCHAR NOT NULL,
    source_system  VARCHAR NOT NULL,
    name           VARCHAR,
    email          VARCHAR,
    annual_revenue DECIMAL(18, 2),
    created_at     TIMESTAMPTZ,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (canonical_id, source_system)
);
"""
# --8<-- [end:schema]

NAMESPACE = uuid.UUID("8a1f0c5e-3d7b-4c39-9f52-6b2e7d1a4c00")


class CrosswalkConflict(ValueError):
    """Two systems disagree about who a record belongs to."""


class UnknownSourceId(KeyError):
    """The crosswalk has never seen this source record."""


# --8<-- [start:resolve]
@dataclass(frozen=True)
class Match:
    canonical_id: str
    method: str
    confidence: Decimal


def resolve(
    con: duckdb.DuckDBPyConnection, system: str, source_id: str, email: str | None, entity: str = "customer"
) -> Match:
    """Find or create the canonical ID: exact ID first, then email, then new."""
    con.execute(SCHEMA)
    known = con.execute(
        "SELECT canonical_id, match_method, confidence FROM entity_crosswalk "
        "WHERE entity_type = ? AND source_system = ? AND source_id = ?",
        [entity, system, source_id],
    ).fetchone()
    if known:
        return Match(*known)

    match = None
    if email:
        owners = con.execute(
            "SELECT DISTINCT x.canonical_id, x.source_system FROM customer_versions v "
            "JOIN entity_crosswalk x ON x.canonical_id = v.canonical_id AND x.entity_type = ? "
            "WHERE lower(v.email) = lower(?)",
            [entity, email],
        ).fetchall()
        candidates = {cid for cid, _ in owners}
        if len(candidates) > 1:
            raise CrosswalkConflict(f"{system}:{source_id}: email matches {len(candidates)} customers")
        if candidates:
            cid = candidates.pop()
            if any(sys_ == system for c, sys_ in owners if c == cid):
                # That customer already has a different record in this system.
                raise CrosswalkConflict(f"{system}:{source_id}: email belongs to another {system} record")
            match = Match(cid, "email", Decimal("0.90"))
    if match is None:
        cid = str(uuid.uuid5(NAMESPACE, f"{entity}:{system}:{source_id}"))
        match = Match(cid, "new", Decimal("1.00"))
    con.execute(
        "INSERT INTO entity_crosswalk VALUES (?, ?, ?, ?, ?, ?)",
        [entity, match.canonical_id, system, source_id, match.method, match.confidence],
    )
    return Match(match.canonical_id, match.method, match.confidence)


def translate(
    con: duckdb.DuckDBPyConnection, from_system: str, source_id: str, to_system: str, entity: str = "customer"
) -> str | None:
    """The ID of the same customer in another system (None if it has none there)."""
    row = con.execute(
        """
        SELECT target.source_id, src.canonical_id
        FROM entity_crosswalk AS src
        LEFT JOIN entity_crosswalk AS target
          ON target.canonical_id = src.canonical_id
         AND target.entity_type = src.entity_type
         AND target.source_system = ?
        WHERE src.entity_type = ? AND src.source_system = ? AND src.source_id = ?
        """,
        [to_system, entity, from_system, source_id],
    ).fetchone()
    if row is None:
        raise UnknownSourceId(f"{from_system}:{source_id} is not in the crosswalk")
    return row[0]


# --8<-- [end:resolve]


def record_version(
    con: duckdb.DuckDBPyConnection, canonical_id: str, system: str, values: dict[str, Any]
) -> None:
    """Store the latest mapped values one system holds for a customer."""
    con.execute(
        "INSERT OR REPLACE INTO customer_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            canonical_id,
            system,
            values.get("name"),
            values.get("email"),
            values.get("annual_revenue"),
            values.get("created_at"),
            values["updated_at"],
        ],
    )


# --8<-- [start:golden]
GOLDEN_SQL = """
WITH ranked AS (
    SELECT v.*,
           CASE v.source_system WHEN 'salesforce' THEN 1 WHEN 'stripe' THEN 2 ELSE 9 END AS priority
    FROM customer_versions AS v
)
SELECT canonical_id,
       -- source priority: the CRM owns the legal name
       arg_min(name, priority) FILTER (WHERE name IS NOT NULL)        AS name,
       -- most recent: whoever changed the email last wins
       arg_max(email, updated_at) FILTER (WHERE email IS NOT NULL)    AS email,
       -- highest value: the largest revenue figure any system reports
       max(annual_revenue)                                            AS annual_revenue,
       -- earliest: the customer exists since the first system saw it
       min(created_at)                                                AS created_at,
       max(updated_at)                                                AS updated_at,
       count(*)                                                       AS source_count
FROM ranked
GROUP BY canonical_id
ORDER BY canonical_id
"""


def golden_records(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """One row per canonical customer, each field chosen by its survivorship rule."""
    cursor = con.execute(GOLDEN_SQL)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# --8<-- [end:golden]
