"""Load YAML data files and validate them against their schema.

The loader turns pydantic's validation errors into one message that names the
file, the record and the field, so a contributor sees at once what to fix::

    macros/data/patterns.yaml: record 'cdc' (patterns[2]), field 'latency':
    Field required
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""LibYAML's safe loader when PyYAML was built with it (about ten times faster), else the pure one."""


class DataError(ValueError):
    """A data file is missing, unreadable or does not match its schema."""


def _record_label(raw: Any, loc: tuple[int | str, ...]) -> tuple[str, tuple[int | str, ...]]:
    """Find the record a validation error belongs to.

    The record is the first list item on the error's path. It is named by its
    ``id`` (or ``term``/``name``) when it has one, and by its position always.

    Args:
        raw: The parsed YAML document.
        loc: The error location reported by pydantic.

    Returns:
        A label such as ``"'cdc' (patterns[2])"`` (empty when the error is at
        file level) and the rest of the location, relative to the record.
    """
    node = raw
    path = ""
    for depth, key in enumerate(loc):
        if isinstance(key, int) and isinstance(node, list):
            item = node[key] if key < len(node) else None
            name = None
            if isinstance(item, dict):
                name = next((item[k] for k in ("id", "term", "name") if k in item), None)
            where = f"{path}[{key}]"
            label = f"'{name}' ({where})" if name is not None else where
            return label, loc[depth + 1 :]
        path = f"{path}.{key}" if path else str(key)
        node = node.get(key) if isinstance(node, dict) else None
    return "", loc


def format_validation_error(file: Path, raw: Any, error: ValidationError) -> str:
    """Render a pydantic error as one line per problem, naming file, record and field.

    Args:
        file: The data file, shown as given.
        raw: The parsed YAML document (used to name records by id).
        error: The error raised by pydantic.

    Returns:
        A multi-line message; each line names the file, the record and the field.
    """
    lines = []
    for problem in error.errors():
        loc = tuple(problem["loc"])
        record, field_loc = _record_label(raw, loc)
        field = ".".join(str(part) for part in field_loc) or "(whole record)"
        msg = problem["msg"]
        if problem["type"] == "extra_forbidden":
            msg = "unknown key (not in the schema; check the spelling)"
        where = f"record {record}, field '{field}'" if record else f"field '{field}'"
        lines.append(f"{file}: {where}: {msg}")
    return "\n".join(lines)


def load_yaml(file: Path) -> Any:
    """Parse a YAML file, turning every failure into a :class:`DataError`.

    Args:
        file: Path of the YAML file.

    Returns:
        The parsed document.

    Raises:
        DataError: The file is missing or is not valid YAML.
    """
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{file}: cannot read data file ({exc.strerror})") from exc
    try:
        return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise DataError(f"{file}: not valid YAML: {exc}") from exc


def load_model(file: Path, model: type[ModelT]) -> ModelT:
    """Load a YAML file and validate it against ``model``.

    Args:
        file: Path of the YAML file.
        model: The pydantic model describing the whole file.

    Returns:
        The validated model instance.

    Raises:
        DataError: The file cannot be read, parsed or validated. The message
            names the file, the record and the field.
    """
    raw = load_yaml(file)
    if not isinstance(raw, dict):
        raise DataError(f"{file}: expected a mapping at the top level, got {type(raw).__name__}")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(format_validation_error(file, raw, exc)) from None
