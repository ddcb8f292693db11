"""Schema of the Reverse ETL comparison: Hightouch, Census and a custom build."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from macros.models.common import Fact, StrictModel, require_exact_keys

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""Lower-case, hyphenated identifier usable as an HTML anchor."""


class Option(StrictModel):
    """One column of the comparison: a product or the custom build.

    Attributes:
        id: Stable identifier, used as the key of each criterion's values.
        name: Human name shown in the header.
        note: One short qualifier shown under the name (optional).
    """

    id: Slug
    name: str
    note: str | None = None


class Criterion(StrictModel):
    """One row of the comparison: a criterion with one sourced fact per option.

    Attributes:
        id: Stable identifier; also the anchor of its row (``#retl-<id>``).
        criterion: What is compared, in a few words.
        values: Option id to the sourced fact for that option.
    """

    id: Slug
    criterion: str
    values: dict[str, Fact]


class ReverseEtlComparison(StrictModel):
    """The whole ``reverse_etl.yaml`` file.

    Attributes:
        options: The columns, in display order.
        criteria: The rows, in display order.
    """

    options: Annotated[list[Option], Field(min_length=2)]
    criteria: Annotated[list[Criterion], Field(min_length=1)]

    @field_validator("criteria")
    @classmethod
    def _one_fact_per_option(cls, criteria: list[Criterion], info: ValidationInfo) -> list[Criterion]:
        """Every criterion states exactly one fact for each declared option."""
        expected = {o.id for o in info.data.get("options") or []}
        seen: set[str] = set()
        for criterion in criteria:
            if criterion.id in seen:
                raise ValueError(f"criterion '{criterion.id}' appears twice")
            seen.add(criterion.id)
            require_exact_keys(
                f"criterion '{criterion.id}'",
                "values must cover the options",
                set(criterion.values),
                expected,
            )
        return criteria

    def csv_rows(self) -> list[dict[str, str]]:
        """One flat row per criterion and option, with its source and review date."""
        rows = []
        for criterion in self.criteria:
            for option in self.options:
                fact = criterion.values[option.id]
                rows.append(
                    {
                        "criterion": criterion.criterion,
                        "option": option.name,
                        "value": str(fact.value),
                        "note": fact.note or "",
                        "estimate": str(fact.estimate).lower(),
                        "confidence": fact.confidence or "",
                        "reviewed": fact.reviewed.isoformat(),
                        "sources": "; ".join(f"{s.title} <{s.url}>" for s in fact.sources),
                    }
                )
        return rows
