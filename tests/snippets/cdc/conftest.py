"""A real PostgreSQL server for the CDC snippet tests.

The fixture runs PostgreSQL's server binaries (``initdb``, ``pg_ctl``), found
by ``tests.environment_check`` (``make doctor`` shows which), in a temporary
folder with ``wal_level=logical``, listening on a free port on 127.0.0.1 and on
a Unix socket inside that folder. PostgreSQL refuses to run
as root, so when the tests run as root (as in CI) every server command runs as
the ``postgres`` system user. The server lives for the whole test session.
"""

from __future__ import annotations

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

from tests.environment_check import Host, MissingTool, Postgres, find_postgres


def _server() -> Postgres:
    """The PostgreSQL binaries ``tests.environment_check`` finds; a failure with the hint if none.

    ``SKIP_ENGINES=postgres`` skips these tests before this runs (see tests/conftest.py).
    """
    try:
        return find_postgres(Host.current())
    except MissingTool as missing:
        pytest.fail(str(missing), pytrace=False)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(server: Postgres, cmd: list[str]) -> list[str]:
    """Prefix a command so it runs as the postgres user when we are root."""
    if server.run_as:
        return ["runuser", "-u", server.run_as, "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """Start a throwaway PostgreSQL with logical decoding enabled; yield its DSN."""
    server = _server()
    initdb, pg_ctl = str(server.initdb), str(server.pg_ctl)
    # Not under pytest's tmp folder: its parents are private to root, and the
    # server runs as another user.
    root = Path(tempfile.mkdtemp(prefix="cdc-pg-"))
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir()
    if server.run_as:
        account = pwd.getpwnam(server.run_as)
        for path in (root, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
    port = _free_port()
    subprocess.run(
        _as_server_user(server, [initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
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
        _as_server_user(server, [pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"host=127.0.0.1 port={port} user=postgres dbname=postgres"
    finally:
        subprocess.run(
            _as_server_user(server, [pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
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
