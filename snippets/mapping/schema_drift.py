"""Detect schema drift between two snapshots of a table's columns.

Each change is classified as added, removed, retyped or renamed, with a
severity, and a stable fingerprint tells at a glance whether anything moved.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from typing import Literal

import duckdb

Schema = dict[str, str]  # column name -> type, e.g. {"email": "VARCHAR"}


# --8<-- [start:snapshot]
def read_schema(con: duckdb.DuckDBPyConnection, table: str) -> Schema:
    """Snapshot a table's columns and types from the information schema."""
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    if not rows:
        raise LookupError(f"table {table!r} not found")
    return dict(rows)


def fingerprint(schema: Schema) -> str:
    """A hash that changes whenever a column or a type changes (order ignored)."""
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()[:16]


# --8<-- [end:snapshot]


# --8<-- [start:detect]
def _similarity(a: str, b: str) -> float:
    """Name similarity in [0, 1]; a name that contains the other scores at least 0.8."""
    a, b = a.lower(), b.lower()
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return max(ratio, 0.8) if a in b or b in a else ratio


Kind = Literal["added", "removed", "retyped", "renamed"]
SEVERITY: dict[Kind, str] = {
    "added": "info",
    "removed": "breaking",
    "retyped": "breaking",
    "renamed": "breaking",
}


@dataclass(frozen=True)
class Drift:
    kind: Kind
    column: str
    before: str | None = None  # old type, or old name for a rename
    after: str | None = None  # new type, or new name for a rename

    @property
    def severity(self) -> str:
        return SEVERITY[self.kind]


def detect_drift(old: Schema, new: Schema, rename_similarity: float = 0.6) -> list[Drift]:
    """Compare two snapshots.

    A rename looks like one column removed and one added. We call it a rename
    only when the two have the same type and similar names, each column used
    at most once; otherwise it stays a removal plus an addition.
    """
    removed = [c for c in old if c not in new]
    added = [c for c in new if c not in old]
    pairs = sorted(
        (
            (_similarity(gone, came), gone, came)
            for gone in removed
            for came in added
            if old[gone] == new[came]
        ),
        reverse=True,
    )
    drifts: list[Drift] = []
    for score, gone, came in pairs:  # best pairs first, each column used once
        if score >= rename_similarity and gone in removed and came in added:
            drifts.append(Drift("renamed", came, before=gone, after=came))
            removed.remove(gone)
            added.remove(came)
    drifts += [Drift("removed", c, before=old[c]) for c in removed]
    drifts += [Drift("added", c, after=new[c]) for c in added]
    drifts += [Drift("retyped", c, old[c], new[c]) for c in old if c in new and old[c] != new[c]]
    return sorted(drifts, key=lambda d: (d.severity != "breaking", d.kind, d.column))


# --8<-- [end:detect]


# --8<-- [start:impact]
def impacted_fields(drifts: list[Drift], mapping: dict[str, str]) -> dict[str, list[Drift]]:
    """Which canonical fields a drift breaks, given source field -> canonical field."""
    impact: dict[str, list[Drift]] = {}
    for drift in drifts:
        source_column = drift.before if drift.kind == "renamed" else drift.column
        if drift.severity == "breaking" and source_column in mapping:
            impact.setdefault(mapping[source_column], []).append(drift)
    return impact


# --8<-- [end:impact]
