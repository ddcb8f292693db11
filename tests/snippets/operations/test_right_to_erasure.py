"""An erasure request via the crosswalk to DuckDB, a CRM API on 127.0.0.1 and a crypto-shredded log."""

from __future__ import annotations

import datetime as dt
import itertools

import duckdb
import httpx
import pytest
from pytest_httpserver import HTTPServer

from snippets.mapping.crosswalk import record_version, resolve
from snippets.operations.right_to_erasure import (
    CrmApiTarget,
    CryptoShredTarget,
    KeyStore,
    WarehouseTarget,
    add_months,
    is_suppressed,
    propagate_erasure,
    response_due,
    subject_ref,
)

EMAIL = "ada@example.com"
T0 = dt.datetime(2026, 11, 30, 9, 0)


class Clock:
    def __init__(self) -> None:
        self.ticks = itertools.count()

    def __call__(self) -> dt.datetime:
        return T0 + dt.timedelta(seconds=next(self.ticks))


@pytest.mark.parametrize(
    ("received", "due", "extended_due"),
    [
        (dt.date(2026, 11, 30), dt.date(2026, 12, 30), dt.date(2027, 2, 28)),  # no 30 February
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 4, 30)),
        (dt.date(2028, 1, 30), dt.date(2028, 2, 29), dt.date(2028, 4, 30)),  # leap year
        (dt.date(2026, 12, 15), dt.date(2027, 1, 15), dt.date(2027, 3, 15)),  # across the year
    ],
)
def test_response_deadline_counts_calendar_months(received, due, extended_due) -> None:
    assert response_due(received) == due
    assert response_due(received, extended=True) == extended_due
    assert add_months(received, 0) == received


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """A crosswalk with the subject in three systems, a warehouse table, and encrypted log events."""
    conn = duckdb.connect()
    cid = resolve(conn, "warehouse", "W-1", EMAIL).canonical_id
    record_version(conn, cid, "warehouse", {"email": EMAIL, "name": "Ada", "updated_at": T0})
    assert resolve(conn, "hubspot", "501", EMAIL).canonical_id == cid  # matched by email
    record_version(conn, cid, "hubspot", {"email": EMAIL, "name": "Ada L.", "updated_at": T0})
    assert resolve(conn, "event_log", "subj-ada", EMAIL).canonical_id == cid
    other = resolve(conn, "warehouse", "W-2", "bob@example.com").canonical_id
    record_version(conn, other, "warehouse", {"email": "bob@example.com", "name": "Bob", "updated_at": T0})
    conn.execute("CREATE TABLE customers (customer_id VARCHAR, email VARCHAR, lifetime_value DECIMAL(12,2))")
    conn.execute(
        "INSERT INTO customers VALUES ('W-1', ?, 120.00), ('W-1', ?, 80.00), ('W-2', 'bob@example.com', 5)",
        [EMAIL, EMAIL],
    )
    yield conn
    conn.close()


@pytest.fixture
def keys(con) -> KeyStore:
    return KeyStore(con)


def targets(con, keys, http: httpx.Client) -> dict:
    return {
        "warehouse": WarehouseTarget(con, "customers", "customer_id"),
        "hubspot": CrmApiTarget("hubspot", http, "/crm/v3/objects/contacts/{id}"),
        "event_log": CryptoShredTarget(keys),
    }


def test_erasure_reaches_every_system_and_leaves_evidence(con, keys, httpserver: HTTPServer) -> None:
    event = keys.encrypt("subj-ada", '{"email": "ada@example.com", "order": "SO-1"}')
    assert keys.decrypt("subj-ada", event) is not None
    httpserver.expect_oneshot_request("/crm/v3/objects/contacts/501", method="DELETE").respond_with_data(
        "", status=204
    )
    with httpx.Client(base_url=httpserver.url_for("/"), timeout=5) as http:
        result = propagate_erasure(
            con,
            request_id="DSR-19",
            email=" Ada@Example.com ",
            targets=targets(con, keys, http),
            clock=Clock(),
        )
    assert result.complete and result.outstanding == ()

    assert con.execute("SELECT count(*) FROM customers WHERE customer_id = 'W-1'").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM customers").fetchone() == (1,)  # Bob untouched
    assert len(httpserver.log) == 1
    assert keys.decrypt("subj-ada", event) is None  # the ciphertext remains, unreadable

    evidence = con.execute(
        "SELECT system, status, detail, recorded_at, subject_ref FROM erasure_evidence ORDER BY recorded_at"
    ).fetchall()
    assert [(s, st) for s, st, *_ in evidence] == [
        ("event_log", "erased"),
        ("hubspot", "erased"),
        ("warehouse", "erased"),
    ]
    assert evidence[2][2] == "2 rows deleted"
    assert [row[3] for row in evidence] == [T0, T0 + dt.timedelta(seconds=1), T0 + dt.timedelta(seconds=2)]
    assert {row[4] for row in evidence} == {subject_ref(EMAIL)}
    dump = str(
        con.execute("SELECT * FROM erasure_evidence").fetchall()
        + con.execute("SELECT * FROM erasure_suppression").fetchall()
    )
    assert "ada" not in dump.lower()  # evidence proves the deletion without keeping the person

    # The crosswalk forgets the person; the suppression list stops a re-import.
    assert con.execute(
        "SELECT count(*) FROM entity_crosswalk WHERE source_id IN ('W-1', '501')"
    ).fetchone() == (0,)
    assert is_suppressed(con, "ADA@example.com")
    assert not is_suppressed(con, "bob@example.com")


def test_a_failing_system_keeps_the_request_open_and_a_rerun_finishes_it(
    con, keys, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request("/crm/v3/objects/contacts/501", method="DELETE").respond_with_data(
        "busy", status=503
    )
    with httpx.Client(base_url=httpserver.url_for("/"), timeout=5) as http:
        first = propagate_erasure(
            con, request_id="DSR-20", email=EMAIL, targets=targets(con, keys, http), clock=Clock()
        )
        assert not first.complete
        assert first.outstanding == ("hubspot",)
        assert not is_suppressed(con, EMAIL)  # not finished: the crosswalk is still needed

        httpserver.expect_oneshot_request("/crm/v3/objects/contacts/501", method="DELETE").respond_with_data(
            "", status=404
        )
        second = propagate_erasure(
            con, request_id="DSR-20", email=EMAIL, targets=targets(con, keys, http), clock=Clock()
        )
    assert second.complete
    statuses = con.execute(
        "SELECT system, status FROM erasure_evidence WHERE request_id = 'DSR-20' ORDER BY recorded_at, system"
    ).fetchall()
    assert ("hubspot", "pending") in statuses and ("hubspot", "already_absent") in statuses
    assert statuses.count(("warehouse", "erased")) == 1  # not erased twice
    assert is_suppressed(con, EMAIL)


def test_an_unreachable_api_is_pending_not_a_crash(con, keys) -> None:
    with httpx.Client(base_url="http://127.0.0.1:9", timeout=0.5) as http:
        result = propagate_erasure(
            con, request_id="DSR-21", email=EMAIL, targets=targets(con, keys, http), clock=Clock()
        )
    assert result.outstanding == ("hubspot",)
    (detail,) = con.execute("SELECT detail FROM erasure_evidence WHERE system = 'hubspot'").fetchone()
    assert detail.startswith("transport error")


def test_a_system_without_a_handler_keeps_the_request_open(con, keys) -> None:
    result = propagate_erasure(
        con,
        request_id="DSR-22",
        email=EMAIL,
        targets={"warehouse": WarehouseTarget(con, "customers", "customer_id")},
        clock=Clock(),
    )
    assert not result.complete
    assert result.outstanding == ("event_log", "hubspot")
    assert ("no_handler",) in con.execute("SELECT status FROM erasure_evidence").fetchall()


def test_an_unknown_subject_is_recorded_as_no_data(con) -> None:
    result = propagate_erasure(
        con, request_id="DSR-23", email="nobody@example.com", targets={}, clock=Clock()
    )
    assert result.complete
    assert con.execute("SELECT system, detail FROM erasure_evidence").fetchall() == [
        ("crosswalk", "no data found")
    ]


@pytest.mark.parametrize(
    ("request_id", "email"), [("", EMAIL), ("DSR-1", "not-an-email"), ("DSR-1", "a@@b"), ("DSR-1", "@x")]
)
def test_bad_requests_are_refused_with_a_message(con, request_id, email) -> None:
    with pytest.raises(ValueError, match="request id and one valid email"):
        propagate_erasure(con, request_id=request_id, email=email, targets={}, clock=Clock())


def test_warehouse_target_verifies_after_deleting(con) -> None:
    target = WarehouseTarget(con, "customers", "customer_id")
    assert target.erase("W-404").status == "already_absent"

    class IgnoresDeletes:
        """A store whose delete silently does nothing (a soft-delete flag, a missing grant)."""

        def execute(self, sql: str, params: list) -> duckdb.DuckDBPyConnection:
            return con.execute(
                "SELECT 1" if sql.startswith("DELETE") else sql, [] if sql.startswith("DELETE") else params
            )

    outcome = WarehouseTarget(IgnoresDeletes(), "customers", "customer_id").erase("W-1")  # type: ignore[arg-type]
    assert outcome.status == "pending"
    assert outcome.detail == "2 rows still present"


def test_crypto_shredding_keys_are_per_subject(keys) -> None:
    ada, bob = keys.encrypt("subj-ada", "ada"), keys.encrypt("subj-bob", "bob")
    assert keys.key_for("subj-ada") == keys.key_for("subj-ada")
    assert keys.decrypt("subj-bob", ada) is None  # another subject's key cannot read it
    assert CryptoShredTarget(keys).erase("subj-ada").status == "erased"
    assert CryptoShredTarget(keys).erase("subj-ada").status == "already_absent"
    assert keys.decrypt("subj-bob", bob) == "bob"
