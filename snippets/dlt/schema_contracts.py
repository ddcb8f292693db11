"""Freeze a table's columns with a dlt schema contract.

The first run creates the table and its columns. After that, a row that
brings a column the table does not have stops the load before anything is
written, instead of silently widening the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import dlt
from dlt.common.schema.exceptions import DataValidationError
from dlt.pipeline.exceptions import PipelineStepFailed


# --8<-- [start:contract]
def accounts_resource(rows: Iterable[dict[str, Any]], columns_mode: str = "freeze") -> Any:
    """Accounts merged on ``id``; new tables may appear, new columns may not."""

    @dlt.resource(
        name="accounts",
        primary_key="id",
        write_disposition="merge",
        schema_contract={"tables": "evolve", "columns": columns_mode, "data_type": "freeze"},
    )
    def accounts() -> Iterable[dict[str, Any]]:
        yield from rows

    return accounts()


# --8<-- [end:contract]


# --8<-- [start:run]
class ContractViolation(RuntimeError):
    """The source sent data the frozen schema does not accept."""


def _validation_error(exc: BaseException) -> DataValidationError | None:
    """Walk the exception chain down to dlt's contract error, if there is one."""
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, DataValidationError):
            return current
        current = current.__cause__ or current.__context__
    return None


def load_accounts(
    pipeline: dlt.Pipeline, rows: Iterable[dict[str, Any]], columns_mode: str = "freeze"
) -> Any:
    """Load accounts; turn a contract breach into one clear exception."""
    try:
        return pipeline.run(accounts_resource(rows, columns_mode))
    except PipelineStepFailed as exc:
        violation = _validation_error(exc)
        if violation is None:
            raise
        # The rejected package would be retried on the next run: drop it, the
        # source has to be fixed (or the contract relaxed) first.
        pipeline.abort_packages()
        raise ContractViolation(
            f"table {violation.table_name!r}, column {violation.column_name!r}: change to "
            f"{violation.schema_entity} refused (contract mode {violation.contract_mode!r})"
        ) from exc


# --8<-- [end:run]


def make_pipeline(workdir: Path, name: str = "accounts_contract") -> dlt.Pipeline:
    """A pipeline whose state and DuckDB file live in ``workdir``."""
    return dlt.pipeline(
        pipeline_name=name,
        pipelines_dir=str(workdir / "pipelines"),
        destination=dlt.destinations.duckdb(str(workdir / f"{name}.duckdb")),
        dataset_name="crm",
    )
