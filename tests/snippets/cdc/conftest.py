"""A real PostgreSQL server for the CDC snippet tests.

The fixture runs Debian's PostgreSQL binaries (``initdb``, ``pg_ctl``) in a
temporary folder with ``wal_level=logical``, listening on a free port on
127.0.0.1 and on a Unix socket inside that folder. PostgreSQL refuses to run
as root, so when the tests run as root (as in CI) every server command runs as
the ``postgres`` system user. The server lives for the whole test session.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

SERVER_USER = "postgres"


def _server_bin(name: str) -> str:
    """Path of a PostgreSQL server binary, newest major version first."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_major_version, reverse=True)
    if not found:
        found = [p for p in [shutil.which(name)] if p]
    if not found:
        pytest.skip(f"PostgreSQL server binary '{name}' not found (install the 'postgresql' package)")
    return found[0]


def _major_version(path: str) -> int:
    parts = Path(path).parts
    try:
        return int(parts[parts.index("postgresql") + 1])
    except (ValueError, IndexError):
        return 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    """Prefix a command so it runs as the postgres user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", SERVER_USER, "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """Start a throwaway PostgreSQL with logical decoding enabled; yield its DSN."""
    initdb, pg_ctl = _server_bin("initdb"), _server_bin("pg_ctl")
    # Not under pytest's tmp folder: its parents are private to root, and the
    # server runs as another user.
    root = Path(tempfile.mkdtemp(prefix="cdc-pg-"))
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir()
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVER_USER)
        for path in (root, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
    port = _free_port()
    subprocess.run(
        _as_server_user([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    options = " ".join(
        [
            "-c wal_level=logical",
            "-c max_replication_slots=4",
            "-c max_wal_senders=4",
            "-c listen_addresses=127.0.0.1",
            f"-c port={port}",
            f"-c unix_socket_directories={sockets}",
            "-c fsync=off",
        ]
    )
    subprocess.run(
        _as_server_user([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"host=127.0.0.1 port={port} user=postgres dbname=postgres"
    finally:
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_conn(postgres_dsn: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection; replication slots it leaves behind are dropped."""
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        yield conn
        conn.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active")
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
