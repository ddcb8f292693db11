"""Schema of the pattern decision matrix and the build-vs-buy table."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from macros.models.common import Sourced, StrictModel, require_exact_keys

Level = Literal["low", "medium", "high"]
"""Three-step scale used for volume and complexity."""

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""Lower-case, hyphenated identifier usable as an HTML anchor."""


class Pattern(Sourced):
    """One integration pattern in the decision matrix.

    Attributes:
        id: Stable identifier; also the anchor of its row (``#pattern-<id>``).
        name: Human name.
        examples: Typical technologies.
        latency: Typical end-to-end latency, in words with a range.
        volume: Volume it handles comfortably.
        complexity: Effort to build and run it well.
        guarantees: Ordering and delivery guarantees in practice.
        best_for: When to choose it.
        avoid_when: When another pattern fits better.
        page: Site-relative Markdown page that goes deeper (optional until it exists).
    """

    id: Slug
    name: str
    examples: str
    latency: str
    volume: Level
    complexity: Level
    guarantees: str
    best_for: str
    avoid_when: str
    page: str | None = None


class Approach(StrictModel):
    """One column of the build-vs-buy table (iPaaS, dlt, custom code)."""

    id: Slug
    name: str


class Factor(Sourced):
    """One row of the build-vs-buy table.

    Attributes:
        id: Stable identifier.
        factor: The decision factor.
        verdicts: Approach id to a short verdict.
    """

    id: Slug
    factor: str
    verdicts: dict[str, str]


class PatternCatalog(StrictModel):
    """The whole ``patterns.yaml`` file.

    Attributes:
        patterns: The decision matrix rows.
        approaches: Columns of the build-vs-buy table.
        factors: Rows of the build-vs-buy table.
    """

    patterns: Annotated[list[Pattern], Field(min_length=1)]
    approaches: Annotated[list[Approach], Field(min_length=2)]
    factors: Annotated[list[Factor], Field(min_length=1)]

    @field_validator("factors")
    @classmethod
    def _verdict_per_approach(cls, factors: list[Factor], info) -> list[Factor]:  # noqa: ANN001
        """Every factor gives a verdict for exactly the declared approaches."""
        approaches = info.data.get("approaches") or []
        expected = {a.id for a in approaches}
        for factor in factors:
            require_exact_keys(
                f"factor '{factor.id}'", "verdicts must cover the approaches", set(factor.verdicts), expected
            )
        return factors
