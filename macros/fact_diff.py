"""Find the sourced facts that changed between two versions of a dataset.

A *sourced fact* is any mapping in a data file that carries both ``sources``
and ``reviewed``. Two versions of a file are compared fact by fact: a fact
changed when anything other than its sources and review date differs (its
value, note, confidence, estimate flag...). Re-reviewing a fact or adding a
source is not a change of the fact; adding or removing a whole record is not
either (new records carry their own sources).

Each fact is located by its record (the ``id`` of the top-level list item it
sits in) and its field (the dotted path below that record), the same way the
facts changelog names them, so the two can be matched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

IGNORED_KEYS = frozenset({"sources", "reviewed"})
"""Keys whose change alone does not change a fact."""

RECORD_KEYS = ("id", "term", "name")
"""Keys that name a list item, tried in this order."""


@dataclass(frozen=True, order=True)
class FactChange:
    """One changed key of one sourced fact.

    Attributes:
        dataset: Dataset name (the YAML file's stem).
        record: Identifier of the top-level record holding the fact.
        field: Dotted path from the record to the changed key.
    """

    dataset: str
    record: str
    field: str


def _item_name(item: Any, index: int) -> str:
    """Name a list item by its identifying key, or by its position."""
    if isinstance(item, dict):
        for key in RECORD_KEYS:
            if isinstance(item.get(key), str | int):
                return str(item[key])
    return f"[{index}]"


def sourced_facts(raw: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Yield ``(path, fact)`` for every sourced mapping in a parsed data file.

    Args:
        raw: The parsed YAML (or any part of it).
        path: Path of ``raw`` from the top of the file.

    Yields:
        The path of each sourced mapping and the mapping itself.
    """
    if isinstance(raw, dict):
        if "sources" in raw and "reviewed" in raw:
            yield path, raw
        for key, value in raw.items():
            if key not in IGNORED_KEYS:
                yield from sourced_facts(value, (*path, str(key)))
    elif isinstance(raw, list):
        for index, item in enumerate(raw):
            yield from sourced_facts(item, (*path, _item_name(item, index)))


def _locate(path: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """Split a path into its record and the field path below it.

    The first component is the top-level key (``brokers``, ``platforms``);
    the second names the record. A file that is a bare list starts with the
    record.
    """
    if len(path) >= 2:
        return path[1], path[2:]
    return (path[0] if path else ""), ()


def changed_facts(dataset: str, old: Any, new: Any) -> list[FactChange]:
    """List the keys of sourced facts that differ between two versions.

    Args:
        dataset: Dataset name, copied into the results.
        old: The earlier parsed file.
        new: The later parsed file.

    Returns:
        One change per differing key of each fact present in both versions,
        sorted.
    """
    before = dict(sourced_facts(old))
    changes: set[FactChange] = set()
    for path, fact in sourced_facts(new):
        if path not in before:
            continue
        previous = before[path]
        record, below = _locate(path)
        for key in (set(previous) | set(fact)) - IGNORED_KEYS:
            if _own(previous.get(key)) != _own(fact.get(key)):
                changes.add(FactChange(dataset, record, ".".join((*below, key))))
    return sorted(changes)


def _own(value: Any) -> Any:
    """Drop nested sourced facts from a value: they are compared on their own."""
    if isinstance(value, dict):
        if "sources" in value and "reviewed" in value:
            return "<fact>"
        return {k: _own(v) for k, v in value.items() if k not in IGNORED_KEYS}
    if isinstance(value, list):
        return [_own(v) for v in value]
    return value


def is_covered(change: FactChange, dataset: str, record: str, field: str) -> bool:
    """Whether a changelog entry (dataset, record, field) covers a change.

    An entry's field covers the change's field and everything below it, so
    ``facts.max_message_size`` covers ``facts.max_message_size.value``.

    Args:
        change: The detected change.
        dataset: The entry's dataset.
        record: The entry's record.
        field: The entry's field.

    Returns:
        True when the entry names this change.
    """
    if (change.dataset, change.record) != (dataset, record):
        return False
    return not field or change.field == field or change.field.startswith(field + ".")
