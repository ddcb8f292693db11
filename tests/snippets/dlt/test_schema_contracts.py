"""A frozen dlt schema contract refuses an unexpected column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dlt
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from snippets.dlt.schema_contracts import ContractViolation, _validation_error, load_accounts, make_pipeline


@pytest.fixture(autouse=True)
def no_telemetry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")


def table(pipeline: dlt.Pipeline) -> list[tuple[Any, ...]]:
    with pipeline.sql_client() as client:
        return client.execute_sql("SELECT id, name, tier FROM accounts ORDER BY id")


def columns(pipeline: dlt.Pipeline) -> set[str]:
    return {c for c in pipeline.default_schema.get_table_columns("accounts") if not c.startswith("_dlt")}


def test_unexpected_column_is_refused_and_nothing_is_loaded(tmp_path: Path) -> None:
    pipeline = make_pipeline(tmp_path)
    load_accounts(pipeline, [{"id": 1, "name": "Acme", "tier": "gold"}])

    with pytest.raises(ContractViolation, match=r"'accounts'.*'tax_id'.*'freeze'"):
        load_accounts(pipeline, [{"id": 2, "name": "Beta", "tier": "silver", "tax_id": "X1"}])

    assert table(pipeline) == [(1, "Acme", "gold")]
    assert columns(pipeline) == {"id", "name", "tier"}
    assert not pipeline.has_pending_data  # the refused package was aborted


def test_rows_that_fit_the_contract_still_merge(tmp_path: Path) -> None:
    pipeline = make_pipeline(tmp_path)
    load_accounts(pipeline, [{"id": 1, "name": "Acme", "tier": "gold"}])
    load_accounts(pipeline, [{"id": 1, "name": "Acme", "tier": "platinum"}, {"id": 2, "name": "Beta"}])

    assert table(pipeline) == [(1, "Acme", "platinum"), (2, "Beta", None)]


def test_discard_value_mode_loads_the_row_without_the_new_column(tmp_path: Path) -> None:
    pipeline = make_pipeline(tmp_path)
    load_accounts(pipeline, [{"id": 1, "name": "Acme", "tier": "gold"}])
    load_accounts(pipeline, [{"id": 2, "name": "Beta", "tier": "silver", "tax_id": "X1"}], "discard_value")

    assert table(pipeline) == [(1, "Acme", "gold"), (2, "Beta", "silver")]
    assert "tax_id" not in columns(pipeline)


def test_a_type_change_is_refused_too(tmp_path: Path) -> None:
    pipeline = make_pipeline(tmp_path)
    load_accounts(pipeline, [{"id": 1, "name": "Acme", "tier": "gold", "seats": 10}])

    # "many" cannot be coerced to the bigint column, so dlt would need a variant column.
    with pytest.raises(ContractViolation, match="data_type"):
        load_accounts(pipeline, [{"id": 3, "name": "Gamma", "tier": "gold", "seats": "many"}])
    assert table(pipeline) == [(1, "Acme", "gold")]


def test_other_failures_are_not_disguised() -> None:
    assert _validation_error(RuntimeError("disk full")) is None


def test_a_failing_source_is_reraised_unchanged(tmp_path: Path) -> None:
    def broken_rows():
        yield {"id": 1, "name": "Acme"}
        raise ConnectionError("source went away")

    with pytest.raises(PipelineStepFailed) as err:
        load_accounts(make_pipeline(tmp_path), broken_rows())
    assert _validation_error(err.value) is None
