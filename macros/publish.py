"""Serialise datasets as JSON and CSV downloads.

A dataset model may define ``csv_rows()`` returning a list of flat dicts; when
it does not, the records of its first list field are flattened with dotted
column names (``pricing.unit.value``). Lists of scalars are joined with ``; ``
and lists of sources become ``title <url>`` pairs.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from pydantic import BaseModel

GENERATED_NOTE = "Generated from the site's YAML data at build time; do not edit."


def to_json(model: BaseModel) -> str:
    """Serialise a dataset as pretty-printed JSON with a ``generated`` note.

    Args:
        model: A validated dataset.

    Returns:
        The JSON text, keys in schema order, ending with a newline.
    """
    payload = {"generated": GENERATED_NOTE, **model.model_dump(mode="json")}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _flatten(value: Any, prefix: str, row: dict[str, str]) -> None:
    """Flatten nested dicts into dotted keys, joining lists into one cell."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else key, row)
    elif isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict) and {"title", "url"} <= item.keys():
                parts.append(f"{item['title']} <{item['url']}>")
            elif isinstance(item, dict):
                parts.append(json.dumps(item, ensure_ascii=False))
            else:
                parts.append(str(item))
        row[prefix] = "; ".join(parts)
    elif value is None:
        row[prefix] = ""
    else:
        row[prefix] = str(value).lower() if isinstance(value, bool) else str(value)


def rows(model: BaseModel) -> list[dict[str, str]]:
    """Return a dataset's records as flat rows for CSV.

    Args:
        model: A validated dataset.

    Returns:
        One flat dict per record.
    """
    custom = getattr(model, "csv_rows", None)
    if callable(custom):
        return custom()
    data = model.model_dump(mode="json")
    records = next((v for v in data.values() if isinstance(v, list)), [])
    flat = []
    for record in records:
        row: dict[str, str] = {}
        _flatten(record, "", row)
        flat.append(row)
    return flat


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
"""A plain number: a spreadsheet reads it as a value, never as a formula."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula."""


def _neutralise(cell: str) -> str:
    """Prefix cells that a spreadsheet would run as a formula; numbers stay numbers."""
    if cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def to_csv(model: BaseModel) -> str:
    """Serialise a dataset's records as CSV (RFC 4180, header row first).

    Args:
        model: A validated dataset.

    Returns:
        The CSV text.
    """
    flat = rows(model)
    columns: list[str] = []
    for row in flat:
        columns.extend(key for key in row if key not in columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in flat:
        writer.writerow({key: _neutralise(row.get(key, "")) for key in columns})
    return out.getvalue()
