"""Schema of the glossary: terms shown as tooltips on every page."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from macros.models.common import StrictModel


class Term(StrictModel):
    """One glossary entry.

    Attributes:
        term: The abbreviation or word exactly as it appears in prose (``CDC``).
        expansion: What an abbreviation stands for, if it is one.
        definition: One or two plain sentences a newcomer understands.
        see: Optional site-relative page that explains the term in depth.
    """

    term: Annotated[str, Field(min_length=1, max_length=40)]
    expansion: str | None = None
    definition: Annotated[str, Field(min_length=10)]
    see: str | None = None

    @field_validator("definition", "expansion")
    @classmethod
    def _no_markup(cls, value: str | None) -> str | None:
        """Tooltips are plain text: refuse characters that would break them."""
        if value is not None and any(ch in value for ch in "<>[]\n"):
            raise ValueError("must be plain text (no <, >, [, ] or line breaks)")
        return value

    @property
    def tooltip(self) -> str:
        """Text shown when a reader hovers or focuses the term."""
        return f"{self.expansion}: {self.definition}" if self.expansion else self.definition


class Glossary(StrictModel):
    """The whole glossary file.

    Attributes:
        terms: Entries, unique by term.
    """

    terms: Annotated[list[Term], Field(min_length=1)]

    @field_validator("terms")
    @classmethod
    def _unique(cls, terms: list[Term]) -> list[Term]:
        """Each term appears once."""
        seen: set[str] = set()
        for term in terms:
            if term.term in seen:
                raise ValueError(f"term '{term.term}' is defined twice")
            seen.add(term.term)
        return terms
