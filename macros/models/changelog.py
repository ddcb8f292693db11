"""Schema of the facts changelog: every correction of a sourced figure.

Each entry says which fact moved (dataset, record, field), from what to what,
on which date, on whose authority and why. Entries are kept newest first so
the page and the feed read in that order.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from macros.models.common import ReviewDate, Source, StrictModel

Text = Annotated[str, Field(min_length=1)]
"""A non-empty string."""


class Change(StrictModel):
    """One change to one fact.

    Attributes:
        date: When the change was made (the fact's new review date).
        dataset: The dataset holding the fact, or ``page`` for a figure stated
            in a page's prose.
        record: The record's identifier, or the page's path under ``docs/``.
        field: Dotted path of the changed field below the record (for a page,
            the setting or figure in question).
        old: The value before, as readers saw it.
        new: The value after.
        source: The vendor documentation that supports the new value.
        reason: Why it changed, in one or two sentences.
    """

    date: ReviewDate
    dataset: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    record: Text
    field: Text
    old: Text
    new: Text
    source: Source
    reason: Annotated[str, Field(min_length=10)]


class Changelog(StrictModel):
    """The whole ``changelog.yaml`` file.

    Attributes:
        changes: Every change, newest first.
    """

    changes: list[Change]

    @field_validator("changes")
    @classmethod
    def _newest_first(cls, changes: list[Change]) -> list[Change]:
        """Keep the file in the order it is shown: newest first."""
        for earlier, later in zip(changes, changes[1:], strict=False):
            if later.date > earlier.date:
                msg = f"changes must be newest first: {later.date} comes after {earlier.date}"
                raise ValueError(msg)
        return changes
