"""JSON Schemas of the published datasets, generated from their pydantic models.

Each ``data/<name>.json`` download gets a ``data/<name>.schema.json`` beside
it: the model's JSON Schema (draft 2020-12) plus the ``generated`` note that
the download carries. A consumer can validate the download before loading it,
and see every field's meaning from the models' docstrings.
"""

from __future__ import annotations

import json
from typing import Any

from macros.datasets import Dataset
from macros.publish import GENERATED_NOTE

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema_path(name: str) -> str:
    """Site-relative path of a dataset's schema.

    Args:
        name: The dataset name.

    Returns:
        ``data/<name>.schema.json``.
    """
    return f"data/{name}.schema.json"


def json_schema(dataset: Dataset, site_url: str = "") -> dict[str, Any]:
    """The JSON Schema of one dataset's JSON download.

    Args:
        dataset: The registered dataset.
        site_url: The site's base URL, for the schema's ``$id`` (omitted when empty).

    Returns:
        The schema as a dict.
    """
    schema = dataset.model.model_json_schema(mode="serialization")
    properties = {"generated": {"type": "string", "const": GENERATED_NOTE}, **schema.get("properties", {})}
    head: dict[str, Any] = {"$schema": DRAFT}
    if site_url:
        head["$id"] = site_url.rstrip("/") + "/" + schema_path(dataset.name)
    head |= {"title": dataset.title, "description": dataset.description}
    body = {k: v for k, v in schema.items() if k not in {"title", "description", "properties"}}
    return head | {"properties": properties} | body


def to_text(schema: dict[str, Any]) -> str:
    """Serialise a schema as pretty-printed JSON text ending with a newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
