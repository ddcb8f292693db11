"""Building blocks shared by every dataset schema.

Every dataset record that states a fact carries where the fact comes from
(``sources``) and when a person last checked it (``reviewed``). The models
here enforce that, and forbid unknown keys so a typo in a data file is an
error rather than a silently ignored field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl

Confidence = Literal["high", "medium", "low"]
"""How sure we are of a fact: stated by the vendor (high), secondary or partly
visible (medium), or an estimate we could not verify (low)."""


def _not_in_future(value: dt.date) -> dt.date:
    """Reject review dates after today: a review cannot happen in the future."""
    if value > dt.date.today():
        msg = f"date {value.isoformat()} is in the future"
        raise ValueError(msg)
    return value


ReviewDate = Annotated[dt.date, AfterValidator(_not_in_future)]
"""A ``YYYY-MM-DD`` date that is not later than today."""

NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
"""A finite number that is zero or more (prices, hours, volumes)."""


class StrictModel(BaseModel):
    """Base model: unknown keys are errors, values are not coerced loosely."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(StrictModel):
    """A document a fact comes from.

    Attributes:
        title: Human title of the page, as a reader would recognise it.
        url: Address of the vendor's own documentation page.
    """

    title: Annotated[str, Field(min_length=1)]
    url: HttpUrl


class Sourced(StrictModel):
    """Mixin for anything that states a fact.

    Attributes:
        sources: At least one source for the fact.
        reviewed: When a person last checked the fact against its sources.
        confidence: How sure we are (optional).
        estimate: True when the figure is not published and is our estimate.
    """

    sources: Annotated[list[Source], Field(min_length=1)]
    reviewed: ReviewDate
    confidence: Confidence | None = None
    estimate: bool = False


class Fact(Sourced):
    """A single sourced value, for example one cell of a comparison matrix.

    Attributes:
        value: The value as shown to readers (text, number or yes/no).
        note: Optional qualifier shown next to the value.
    """

    value: str | int | float | bool
    note: str | None = None


def require_exact_keys(owner: str, what: str, got: set[str], expected: set[str]) -> None:
    """Fail when a mapping's keys are not exactly the declared ids.

    Args:
        owner: The record, as shown in the message (``"factor 'x'"``).
        what: What must be covered (``"verdicts must cover the approaches"``).
        got: Keys the record has.
        expected: Keys it must have.

    Raises:
        ValueError: Naming the missing and the unknown keys.
    """
    if got != expected:
        missing = ", ".join(sorted(expected - got)) or "none"
        extra = ", ".join(sorted(got - expected)) or "none"
        raise ValueError(f"{owner}: {what} (missing: {missing}; unknown: {extra})")
