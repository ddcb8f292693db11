"""Load a paginated REST API into DuckDB with dlt: incremental cursor plus merge.

The API lists customers page by page and accepts ``updated_since``; dlt keeps
the highest ``updated_at`` it has seen in the pipeline state and sends it on
the next run, so a second run fetches and loads only rows changed since.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dlt
from dlt.sources.rest_api import rest_api_source


# --8<-- [start:source]
def customers_source(base_url: str, initial_value: str = "2026-01-01T00:00:00Z") -> Any:
    """Declare the API once: client, paginator, cursor, write disposition."""
    return rest_api_source(
        {
            "client": {
                "base_url": base_url,
                # The API returns {"data": [...], "next": "<url or null>"}.
                "paginator": {"type": "json_link", "next_url_path": "next"},
            },
            "resource_defaults": {
                "primary_key": "id",
                "write_disposition": "merge",  # upsert on the primary key
            },
            "resources": [
                {
                    "name": "customers",
                    "endpoint": {
                        "path": "customers",
                        "data_selector": "data",
                        "params": {
                            "page_size": 2,
                            "updated_since": {
                                "type": "incremental",
                                "cursor_path": "updated_at",
                                "initial_value": initial_value,
                            },
                        },
                    },
                }
            ],
        }
    )


# --8<-- [end:source]


# --8<-- [start:pipeline]
def make_pipeline(workdir: Path, name: str = "crm_customers") -> dlt.Pipeline:
    """A pipeline whose state and DuckDB file live in ``workdir``."""
    return dlt.pipeline(
        pipeline_name=name,
        pipelines_dir=str(workdir / "pipelines"),  # state, schemas, load packages
        destination=dlt.destinations.duckdb(str(workdir / f"{name}.duckdb")),
        dataset_name="crm",
    )


def load_customers(pipeline: dlt.Pipeline, base_url: str) -> dlt.common.pipeline.LoadInfo:
    """Run one incremental load and fail loudly if any load job failed."""
    info = pipeline.run(customers_source(base_url))
    info.raise_on_failed_jobs()
    return info


def customers_cursor(pipeline: dlt.Pipeline) -> str | None:
    """The cursor value dlt will send as ``updated_since`` on the next run."""
    source_state = pipeline.state["sources"][pipeline.default_schema_name]
    return source_state["resources"]["customers"]["incremental"]["updated_at"]["last_value"]


# --8<-- [end:pipeline]
