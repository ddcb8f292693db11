"""Reuse the CDC tests' PostgreSQL fixtures (a throwaway server on 127.0.0.1) for the backfill tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "cdc_postgres_fixtures", Path(__file__).resolve().parents[1] / "cdc" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_cdc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cdc)

postgres_dsn = _cdc.postgres_dsn
pg_conn = _cdc.pg_conn
