"""Propagate a GDPR erasure request through the crosswalk to every system, and keep the evidence."""

# --8<-- [start:deadline]
import calendar
import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import duckdb
import httpx
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from snippets.mapping.crosswalk import SCHEMA as CROSSWALK_SCHEMA


def add_months(day: dt.date, months: int) -> dt.date:
    """EU time-limit rule: same day number, or the month's last day if it has none."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def response_due(received: dt.date, *, extended: bool = False) -> dt.date:
    """One month from receipt; two more months if the subject was told why within the first."""
    return add_months(received, 3 if extended else 1)


# --8<-- [end:deadline]


# --8<-- [start:targets]
@dataclass(frozen=True)
class Outcome:
    status: str  # erased, already_absent, pending, no_handler
    detail: str


class ErasureTarget(Protocol):
    system: str

    def erase(self, local_id: str) -> Outcome: ...


class WarehouseTarget:
    """Delete the subject's rows and check that none are left."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str, key: str) -> None:
        # table and key come from configuration, never from the request; the id is a parameter.
        self.system, self.con, self.table, self.key = "warehouse", con, table, key

    def erase(self, local_id: str) -> Outcome:
        where = f"FROM {self.table} WHERE {self.key} = ?"
        (before,) = self.con.execute(f"SELECT count(*) {where}", [local_id]).fetchone()
        self.con.execute(f"DELETE {where}", [local_id])
        (after,) = self.con.execute(f"SELECT count(*) {where}", [local_id]).fetchone()
        if after:
            return Outcome("pending", f"{after} rows still present")
        return Outcome("erased" if before else "already_absent", f"{before} rows deleted")


class CrmApiTarget:
    """Call the SaaS API's delete endpoint; a 404 means the record is already gone."""

    def __init__(self, system: str, client: httpx.Client, path: str) -> None:
        self.system, self.client, self.path = system, client, path

    def erase(self, local_id: str) -> Outcome:
        try:
            response = self.client.delete(self.path.format(id=local_id))
        except httpx.TransportError as error:
            return Outcome("pending", f"transport error: {type(error).__name__}")
        if response.status_code in (200, 202, 204):
            return Outcome("erased", f"HTTP {response.status_code}")
        if response.status_code == 404:
            return Outcome("already_absent", "HTTP 404")
        return Outcome("pending", f"HTTP {response.status_code}; retry later")


class KeyStore:
    """One data key per subject; deleting it makes every copy of the ciphertext unreadable."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        con.execute("CREATE TABLE IF NOT EXISTS subject_keys (subject VARCHAR PRIMARY KEY, k BLOB)")

    def key_for(self, subject: str) -> bytes:
        row = self.con.execute("SELECT k FROM subject_keys WHERE subject = ?", [subject]).fetchone()
        if row:
            return bytes(row[0])
        key = AESGCM.generate_key(bit_length=256)
        self.con.execute("INSERT INTO subject_keys VALUES (?, ?)", [subject, key])
        return key

    def encrypt(self, subject: str, plaintext: str) -> bytes:
        nonce = os.urandom(12)
        return nonce + AESGCM(self.key_for(subject)).encrypt(nonce, plaintext.encode(), subject.encode())

    def decrypt(self, subject: str, blob: bytes) -> str | None:
        row = self.con.execute("SELECT k FROM subject_keys WHERE subject = ?", [subject]).fetchone()
        if row is None:
            return None  # shredded: the data still exists, nobody can read it
        try:
            return AESGCM(bytes(row[0])).decrypt(blob[:12], blob[12:], subject.encode()).decode()
        except InvalidTag:
            return None


class CryptoShredTarget:
    """For append-only stores (event logs, backups): destroy the subject's key instead of the data."""

    def __init__(self, keys: KeyStore) -> None:
        self.system, self.keys = "event_log", keys

    def erase(self, local_id: str) -> Outcome:
        deleted = self.keys.con.execute(
            "DELETE FROM subject_keys WHERE subject = ? RETURNING subject", [local_id]
        ).fetchall()
        return Outcome("erased" if deleted else "already_absent", f"{len(deleted)} key destroyed")


# --8<-- [end:targets]


# --8<-- [start:propagate]
EVIDENCE_SCHEMA = """
CREATE TABLE IF NOT EXISTS erasure_evidence (
    request_id VARCHAR, system VARCHAR, subject_ref VARCHAR,  -- a hash, never the email
    status VARCHAR, detail VARCHAR, recorded_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS erasure_suppression (email_hash VARCHAR PRIMARY KEY, request_id VARCHAR);
"""
DONE = {"erased", "already_absent"}


def subject_ref(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


@dataclass(frozen=True)
class ErasureResult:
    request_id: str
    complete: bool
    outstanding: tuple[str, ...]


def propagate_erasure(
    con: duckdb.DuckDBPyConnection,
    *,
    request_id: str,
    email: str,
    targets: dict[str, ErasureTarget],
    clock: Callable[[], dt.datetime],
) -> ErasureResult:
    """Find the subject through the crosswalk, erase in every system, record evidence; safe to rerun."""
    if not request_id.strip() or email.count("@") != 1 or not all(email.strip().split("@")):
        raise ValueError("an erasure request needs a request id and one valid email address")
    con.execute(CROSSWALK_SCHEMA)
    con.execute(EVIDENCE_SCHEMA)
    ref = subject_ref(email)
    locations = con.execute(
        "SELECT DISTINCT x.source_system, x.source_id FROM entity_crosswalk x"
        " JOIN customer_versions v ON v.canonical_id = x.canonical_id"
        " WHERE lower(v.email) = lower(?) ORDER BY 1, 2",
        [email.strip()],
    ).fetchall()
    finished = con.execute(
        "SELECT system FROM erasure_evidence WHERE request_id = ? AND status IN ('erased', 'already_absent')",
        [request_id],
    ).fetchall()
    done_systems = {system for (system,) in finished}
    if not locations and not done_systems:
        con.execute(
            "INSERT INTO erasure_evidence VALUES (?, 'crosswalk', ?, 'already_absent', 'no data found', ?)",
            [request_id, ref, clock()],
        )
    outstanding = []
    for system, local_id in locations:
        if system in done_systems:
            continue
        target = targets.get(system)
        outcome = target.erase(local_id) if target else Outcome("no_handler", "no erasure handler")
        con.execute(
            "INSERT INTO erasure_evidence VALUES (?, ?, ?, ?, ?, ?)",
            [request_id, system, ref, outcome.status, outcome.detail, clock()],
        )
        if outcome.status not in DONE:
            outstanding.append(system)
    if not outstanding:
        # Forget the person in the crosswalk too, but remember not to import them again.
        canonical = [
            r[0]
            for r in con.execute(
                "SELECT canonical_id FROM customer_versions WHERE lower(email) = lower(?)", [email.strip()]
            ).fetchall()
        ]
        for cid in canonical:
            con.execute("DELETE FROM entity_crosswalk WHERE canonical_id = ?", [cid])
            con.execute("DELETE FROM customer_versions WHERE canonical_id = ?", [cid])
        con.execute("INSERT OR IGNORE INTO erasure_suppression VALUES (?, ?)", [ref, request_id])
    return ErasureResult(request_id, not outstanding, tuple(outstanding))


def is_suppressed(con: duckdb.DuckDBPyConnection, email: str) -> bool:
    """Sync jobs call this before creating a record, so an erased person is not re-imported."""
    row = con.execute("SELECT 1 FROM erasure_suppression WHERE email_hash = ?", [subject_ref(email)])
    return row.fetchone() is not None


# --8<-- [end:propagate]
