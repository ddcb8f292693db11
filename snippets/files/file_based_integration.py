"""Files over SFTP: pinned host key, atomic hand-off with a manifest, checksums, idempotent loading."""

# --8<-- [start:connect]
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import asyncssh
import duckdb


@contextlib.asynccontextmanager
async def sftp_session(
    host: str, port: int, *, username: str, client_key: asyncssh.SSHKey, pinned_host_key: str
) -> AsyncIterator[asyncssh.SFTPClient]:
    """Key authentication only, and only to the server whose host key we pinned."""
    known_hosts = asyncssh.import_known_hosts(f"[{host}]:{port} {pinned_host_key}\n")
    async with (
        asyncssh.connect(
            host,
            port,
            username=username,
            client_keys=[client_key],
            known_hosts=known_hosts,  # an unknown or changed host key fails the connection
            agent_path=None,
            password=None,
        ) as conn,
        conn.start_sftp_client() as sftp,
    ):
        yield sftp


# --8<-- [end:connect]


# --8<-- [start:hand_off]
async def write_atomically(sftp: asyncssh.SFTPClient, path: str, data: bytes) -> None:
    """Readers never see half a file: write a hidden temporary name, then rename it into place."""
    folder, name = path.rsplit("/", 1)
    temporary = f"{folder}/.{name}.part"
    async with sftp.open(temporary, "wb") as handle:
        await handle.write(data)
    await sftp.posix_rename(temporary, path)  # atomic, and replaces an older file of that name


async def hand_off(
    sftp: asyncssh.SFTPClient,
    folder: str,
    name: str,
    data: bytes,
    *,
    rows: int,
    clock: Callable[[], dt.datetime],
) -> dict:
    """Data file first, manifest last: the manifest is the signal that the file is complete."""
    await write_atomically(sftp, f"{folder}/{name}", data)
    manifest = {
        "file": name,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": rows,
        "created_at": clock().isoformat(),
    }
    await write_atomically(sftp, f"{folder}/{name}.manifest.json", json.dumps(manifest).encode())
    return manifest


# --8<-- [end:hand_off]


# --8<-- [start:collect]
HEADER = ["shipment_id", "order_id", "shipped_at", "carrier", "quantity"]
LEDGER = """
CREATE TABLE IF NOT EXISTS processed_files (sha256 VARCHAR PRIMARY KEY, file VARCHAR, rows INTEGER,
                                            processed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS shipments (shipment_id VARCHAR PRIMARY KEY, order_id VARCHAR,
                                      shipped_at DATE, carrier VARCHAR, quantity DECIMAL(12, 3));
"""


class Rejected(ValueError):
    """A file that must go to quarantine, with the reason a person will read."""


@dataclass
class CollectReport:
    loaded: dict[str, int] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    quarantined: dict[str, str] = field(default_factory=dict)


def parse_shipments(data: bytes, expected_rows: int) -> list[tuple]:
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        header = next(reader, [])
    except UnicodeDecodeError as error:
        raise Rejected("not UTF-8 text") from error
    if header != HEADER:
        raise Rejected(f"header {header} is not {HEADER}")
    rows = []
    for number, row in enumerate(reader, start=2):
        try:
            shipment_id, order_id, shipped_at, carrier, quantity = row
            shipped = dt.date.fromisoformat(shipped_at)
            rows.append((shipment_id, order_id, shipped, carrier, Decimal(quantity)))
        except (ValueError, InvalidOperation) as error:
            raise Rejected(f"line {number}: {row!r} ({error})") from error
    if len(rows) != expected_rows:
        raise Rejected(f"{len(rows)} rows, manifest says {expected_rows}")
    return rows


async def collect(
    sftp: asyncssh.SFTPClient, inbox: str, con: duckdb.DuckDBPyConnection, clock: Callable[[], dt.datetime]
) -> CollectReport:
    """Load every complete file once; archive what is done, quarantine what is wrong."""
    con.execute(LEDGER)
    report = CollectReport()
    manifests = sorted(n for n in await sftp.listdir(inbox) if n.endswith(".manifest.json") and n[0] != ".")
    for manifest_name in manifests:
        files = [manifest_name]
        try:
            async with sftp.open(f"{inbox}/{manifest_name}", "rb") as handle:
                manifest = json.loads(await handle.read())
            name = manifest["file"]
            files.append(name)
            async with sftp.open(f"{inbox}/{name}", "rb") as handle:
                data = await handle.read()
            digest = hashlib.sha256(data).hexdigest()
            if len(data) != manifest["bytes"] or digest != manifest["sha256"]:
                raise Rejected("size or SHA-256 does not match the manifest")
            if con.execute("SELECT 1 FROM processed_files WHERE sha256 = ?", [digest]).fetchone():
                report.duplicates.append(name)  # same content under any name: already loaded
            else:
                rows = parse_shipments(data, manifest["rows"])
                con.execute("BEGIN")
                con.executemany("INSERT OR REPLACE INTO shipments VALUES (?, ?, ?, ?, ?)", rows)
                ledger_row = [digest, name, len(rows), clock()]
                con.execute("INSERT INTO processed_files VALUES (?, ?, ?, ?)", ledger_row)
                con.execute("COMMIT")
                report.loaded[name] = len(rows)
            destination = f"archive/{clock():%Y-%m-%d}"
        except (Rejected, KeyError, ValueError, asyncssh.SFTPError) as error:
            report.quarantined[manifest_name] = str(error)
            destination = "quarantine"
        await sftp.makedirs(destination, exist_ok=True)
        for file in files:
            with contextlib.suppress(asyncssh.SFTPNoSuchFile):
                await sftp.posix_rename(f"{inbox}/{file}", f"{destination}/{file}")
    return report


# --8<-- [end:collect]
