"""Check EventBridge event patterns and input transformers in unit tests.

EventBridge evaluates patterns in the cloud; the ``TestEventPattern`` API
checks one pattern against one event, but needs credentials and a network.
This matcher covers the operators used on our pages (exact values, prefix,
anything-but, numeric, exists) so rules can be tested offline in CI. It is a
deliberately small subset: confirm anything more exotic with the real API.
"""

# --8<-- [start:matcher]
from __future__ import annotations

import json
import operator
import re
from typing import Any

_MISSING = object()
_NUMERIC = {"=": operator.eq, ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


def _leaf_matches(condition: Any, value: Any) -> bool:
    if not isinstance(condition, dict):  # an exact value, compared with its JSON type
        return value is not _MISSING and condition == value and type(condition) is type(value)
    (name, arg), *rest = condition.items()
    if rest:
        raise ValueError(f"one operator per condition, got {sorted(condition)}")
    if name == "exists":
        return (value is not _MISSING) is arg
    if value is _MISSING:
        return False
    if name == "prefix":
        return isinstance(value, str) and value.startswith(arg)
    if name == "anything-but":
        excluded = arg if isinstance(arg, list) else [arg]
        return value not in excluded
    if name == "numeric":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        pairs = zip(arg[::2], arg[1::2], strict=True)
        return all(_NUMERIC[op](value, bound) for op, bound in pairs)
    raise ValueError(f"operator {name!r} is not supported by this offline matcher")


def matches(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    """True when every field in the pattern matches the event (AND across fields, OR within a list)."""
    for field, condition in pattern.items():
        value = event.get(field, _MISSING) if isinstance(event, dict) else _MISSING
        if isinstance(condition, dict):
            if not matches(condition, value if isinstance(value, dict) else {}):
                return False
            continue
        candidates = value if isinstance(value, list) else [value]  # arrays match if any element does
        if not any(_leaf_matches(c, v) for c in condition for v in candidates):
            return False
    return True


# --8<-- [end:matcher]


# --8<-- [start:transform]
_PLACEHOLDER = re.compile(r"<([A-Za-z0-9_.-]+)>")


def _resolve(path: str, event: dict[str, Any]) -> Any:
    node: Any = event
    for part in path.removeprefix("$.").split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def transform(transformer: dict[str, Any], event: dict[str, Any]) -> str:
    """Render an input transformer the way a target would receive it."""
    values = {name: _resolve(path, event) for name, path in transformer["InputPathsMap"].items()}

    def fill(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        return value if isinstance(value, str) else json.dumps(value)

    return _PLACEHOLDER.sub(fill, transformer["InputTemplate"])


# --8<-- [end:transform]
