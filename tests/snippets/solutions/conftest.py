"""The throwaway PostgreSQL of the CDC tests, shared with the solution guides."""

from tests.snippets.cdc.conftest import pg_conn, postgres_dsn  # noqa: F401
