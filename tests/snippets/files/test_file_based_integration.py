"""Hand files over a real local SFTP server: pinned host key, atomic hand-off, checksums, load once."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json

import asyncssh
import duckdb
import pytest

from snippets.files.file_based_integration import (
    HEADER,
    collect,
    hand_off,
    sftp_session,
    write_atomically,
)

NOW = dt.datetime(2026, 11, 30, 5, 0)
CSV = (",".join(HEADER) + "\r\nSH-1,PO-4471,2026-11-29,UPS,24\r\nSH-2,PO-4471,2026-11-29,UPS,6\r\n").encode()


def clock() -> dt.datetime:
    return NOW


def session(server, **overrides):
    options = {"username": "partner", "client_key": server.client_key, "pinned_host_key": server.host_key}
    return sftp_session(server.host, server.port, **{**options, **overrides})


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    yield conn
    conn.close()


def run(coro):
    return asyncio.run(coro)


def test_hand_off_then_collect_loads_once_and_archives(sftp_server, con) -> None:
    async def scenario():
        async with session(sftp_server) as sftp:
            manifest = await hand_off(sftp, "inbox", "shipments-20261130.csv", CSV, rows=2, clock=clock)
            report = await collect(sftp, "inbox", con, clock)
            return manifest, report

    manifest, report = run(scenario())
    assert manifest["sha256"] == hashlib.sha256(CSV).hexdigest()
    assert manifest["bytes"] == len(CSV)
    assert report.loaded == {"shipments-20261130.csv": 2}
    assert con.execute("SELECT shipment_id, quantity FROM shipments ORDER BY 1").fetchall() == [
        ("SH-1", 24),
        ("SH-2", 6),
    ]
    root = sftp_server.root
    assert list((root / "inbox").iterdir()) == []
    archived = sorted(p.name for p in (root / "archive" / "2026-11-30").iterdir())
    assert archived == ["shipments-20261130.csv", "shipments-20261130.csv.manifest.json"]
    assert (root / "archive" / "2026-11-30" / "shipments-20261130.csv").read_bytes() == CSV


def test_files_still_arriving_are_left_alone(sftp_server, con) -> None:
    inbox = sftp_server.root / "inbox"
    (inbox / ".shipments-a.csv.part").write_bytes(CSV[:20])  # an upload in progress
    (inbox / "shipments-b.csv").write_bytes(CSV)  # data there, manifest not yet

    async def scenario():
        async with session(sftp_server) as sftp:
            return await collect(sftp, "inbox", con, clock)

    report = run(scenario())
    assert report.loaded == {} and report.quarantined == {} and report.duplicates == []
    assert sorted(p.name for p in inbox.iterdir()) == [".shipments-a.csv.part", "shipments-b.csv"]


def test_the_same_content_under_a_new_name_is_not_loaded_twice(sftp_server, con) -> None:
    async def scenario():
        async with session(sftp_server) as sftp:
            await hand_off(sftp, "inbox", "shipments-1.csv", CSV, rows=2, clock=clock)
            first = await collect(sftp, "inbox", con, clock)
            await hand_off(sftp, "inbox", "shipments-1-resent.csv", CSV, rows=2, clock=clock)
            second = await collect(sftp, "inbox", con, clock)
            return first, second

    first, second = run(scenario())
    assert first.loaded == {"shipments-1.csv": 2}
    assert second.loaded == {} and second.duplicates == ["shipments-1-resent.csv"]
    assert con.execute("SELECT count(*) FROM shipments").fetchone() == (2,)
    assert con.execute("SELECT count(*) FROM processed_files").fetchone() == (1,)


def test_a_corrupted_file_is_quarantined_not_loaded(sftp_server, con) -> None:
    async def scenario():
        async with session(sftp_server) as sftp:
            await hand_off(sftp, "inbox", "shipments-2.csv", CSV, rows=2, clock=clock)
            (sftp_server.root / "inbox" / "shipments-2.csv").write_bytes(CSV.replace(b"24", b"42"))
            return await collect(sftp, "inbox", con, clock)

    report = run(scenario())
    reason = report.quarantined["shipments-2.csv.manifest.json"]
    assert reason == "size or SHA-256 does not match the manifest"
    assert con.execute("SELECT count(*) FROM shipments").fetchone() == (0,)
    assert sorted(p.name for p in (sftp_server.root / "quarantine").iterdir()) == [
        "shipments-2.csv",
        "shipments-2.csv.manifest.json",
    ]


@pytest.mark.parametrize(
    ("content", "rows", "reason"),
    [
        (b"id,qty\r\n1,2\r\n", 1, "header"),
        (CSV.replace(b"2026-11-29,UPS,6", b"yesterday,UPS,6"), 2, "line 3"),
        (CSV.replace(b",24", b",twenty"), 2, "line 2"),
        (CSV, 3, "2 rows, manifest says 3"),
        (b"\xff\xfe\x00bad", 0, "not UTF-8"),
    ],
)
def test_bad_content_is_quarantined_with_a_reason(sftp_server, con, content, rows, reason) -> None:
    async def scenario():
        async with session(sftp_server) as sftp:
            await hand_off(sftp, "inbox", "bad.csv", content, rows=rows, clock=clock)
            return await collect(sftp, "inbox", con, clock)

    report = run(scenario())
    assert reason in report.quarantined["bad.csv.manifest.json"]
    assert con.execute("SELECT count(*) FROM shipments").fetchone() == (0,)


def test_an_unreadable_manifest_is_quarantined(sftp_server, con) -> None:
    (sftp_server.root / "inbox" / "x.csv.manifest.json").write_text("{not json")
    (sftp_server.root / "inbox" / "y.csv.manifest.json").write_text(json.dumps({"file": "missing.csv"}))

    async def scenario():
        async with session(sftp_server) as sftp:
            return await collect(sftp, "inbox", con, clock)

    report = run(scenario())
    assert set(report.quarantined) == {"x.csv.manifest.json", "y.csv.manifest.json"}
    assert (sftp_server.root / "quarantine" / "x.csv.manifest.json").exists()


def test_atomic_write_replaces_and_leaves_no_temporary_file(sftp_server) -> None:
    async def scenario():
        async with session(sftp_server) as sftp:
            await write_atomically(sftp, "inbox/report.csv", b"v1")
            await write_atomically(sftp, "inbox/report.csv", b"v2")

    run(scenario())
    assert [p.name for p in (sftp_server.root / "inbox").iterdir()] == ["report.csv"]
    assert (sftp_server.root / "inbox" / "report.csv").read_bytes() == b"v2"


def test_a_changed_host_key_refuses_the_connection(sftp_server) -> None:
    impostor = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode().strip()

    async def scenario():
        async with session(sftp_server, pinned_host_key=impostor) as sftp:
            await sftp.listdir("inbox")

    with pytest.raises(asyncssh.HostKeyNotVerifiable):
        run(scenario())


def test_an_unknown_client_key_is_refused(sftp_server) -> None:
    stranger = asyncssh.generate_private_key("ssh-ed25519")

    async def scenario():
        async with session(sftp_server, client_key=stranger) as sftp:
            await sftp.listdir("inbox")

    with pytest.raises(asyncssh.PermissionDenied):
        run(scenario())
