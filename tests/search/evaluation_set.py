"""The search evaluation set: its schema, its loader and how a result list is scored.

``queries.yaml`` lists what readers type and the page (optionally the section)
they expect among the first three results. The same scoring is used by the
benchmark (``benchmarks/search_quality.py``) and the browser test, so the
figures in the results file and the thresholds in the test mean the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

QUERIES_FILE = Path(__file__).with_name("queries.yaml")
MUST_FIND_FILE = Path(__file__).with_name("must_find.yaml")

Kind = Literal["identifier", "error", "concept", "vendor", "glossary", "table", "typo", "question"]


def site_paths(value: str | tuple[str, ...]) -> str | tuple[str, ...]:
    """Check one site path or several: each ends with '/', has no leading '/' and no '#'."""
    for path in (value,) if isinstance(value, str) else value:
        if path and (not path.endswith("/") or path.startswith("/") or "#" in path):
            raise ValueError(f"{path!r}: a site path ends with '/', has no leading '/' and no '#'")
    return value


class Query(BaseModel):
    """One query of the evaluation set."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str = Field(min_length=2, max_length=80)
    page: str
    anchor: str | None = None
    also: tuple[str, ...] = ()
    kind: Kind

    @field_validator("page", "also")
    @classmethod
    def _site_path(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        return site_paths(value)

    @field_validator("anchor")
    @classmethod
    def _anchor(cls, value: str | None) -> str | None:
        if value is not None and (not value or value.startswith("#") or " " in value):
            raise ValueError(f"{value!r}: an anchor is an id without '#'")
        return value


class EvaluationSet(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid")

    queries: list[Query] = Field(min_length=120)

    @field_validator("queries")
    @classmethod
    def _unique(cls, queries: list[Query]) -> list[Query]:
        seen: set[str] = set()
        for query in queries:
            key = query.q.casefold()
            if key in seen:
                raise ValueError(f"query {query.q!r} is listed twice")
            seen.add(key)
        return queries


class MustFind(BaseModel):
    """A query that must find one of its pages among the first few result pages."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str = Field(min_length=2, max_length=80)
    pages: tuple[str, ...] = Field(min_length=1)
    within: Literal[3, 5]

    @field_validator("pages")
    @classmethod
    def _site_paths(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return site_paths(value)

    def found(self, groups: Sequence[Group]) -> bool:
        """Whether one of ``pages`` is among the first ``within`` result pages."""
        return any(group.page in self.pages for group in groups[: self.within])


class MustFindList(BaseModel):
    """The whole must-find file."""

    model_config = ConfigDict(extra="forbid")

    must_find: list[MustFind] = Field(min_length=1)


def _validated(path: Path, model: type[BaseModel], key: str) -> BaseModel:
    """Validate a YAML file, naming the file, the query and the field on failure."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            where = problem["loc"]
            label = ".".join(str(part) for part in where)
            if len(where) >= 2 and where[0] == key and isinstance(where[1], int):
                record = data[key][where[1]]
                field = ".".join(map(str, where[2:]))
                label = f"query {record.get('q')!r} ({key}[{where[1]}]), field {field}"
            lines.append(f"{path.name}: {label}: {problem['msg']}")
        raise ValueError("\n".join(lines)) from None


def load_queries(path: Path = QUERIES_FILE) -> list[Query]:
    """Read and validate the evaluation set.

    Raises:
        ValueError: naming the file, the query and the field when a record is invalid.
    """
    return _validated(path, EvaluationSet, "queries").queries  # type: ignore[attr-defined]


def load_must_find(path: Path = MUST_FIND_FILE) -> list[MustFind]:
    """Read and validate the must-find list.

    Raises:
        ValueError: naming the file, the query and the field when a record is invalid.
    """
    return _validated(path, MustFindList, "must_find").must_find  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Group:
    """One result as the reader sees it: a page and the section links shown under it."""

    page: str
    anchors: tuple[str, ...]


def rank(query: Query, groups: Sequence[Group]) -> int | None:
    """Position (1-based) of the first result that answers ``query``, or None.

    A result answers when its page is the expected page (or one listed in
    ``also``); when the query names an anchor, the expected page's result must
    also show a link to that section.
    """
    for position, group in enumerate(groups, start=1):
        if group.page == query.page:
            if query.anchor is None or query.anchor in group.anchors:
                return position
        elif group.page in query.also:
            return position
    return None


@dataclass(frozen=True)
class Scores:
    """Top-1, top-3 and mean reciprocal rank over an evaluation set."""

    count: int
    top1: float
    top3: float
    mrr: float


def score(ranks: Sequence[int | None]) -> Scores:
    """Aggregate per-query ranks (None: not found) into top-1, top-3 and MRR."""
    count = len(ranks)
    found = [r for r in ranks if r is not None]
    return Scores(
        count=count,
        top1=sum(r == 1 for r in found) / count,
        top3=sum(r <= 3 for r in found) / count,
        mrr=sum(1 / r for r in found) / count,
    )
