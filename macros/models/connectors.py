"""Schema of the connector cheat sheet: connectors, facets and one sourced entry per pair."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from macros.models.common import Sourced, StrictModel, require_exact_keys

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""Lower-case, hyphenated identifier usable in an HTML anchor."""


class Facet(StrictModel):
    """One question the cheat sheet answers for every connector.

    Attributes:
        id: Stable identifier; anchors are ``#<connector>-<facet>`` and ``#facet-<facet>``.
        title: Human title, shown as the row header.
        question: The reader's question this facet answers.
    """

    id: Slug
    title: str
    question: str


class Entry(Sourced):
    """What one connector does for one facet.

    Text may mark code with backticks (`` `nextRecordsUrl` ``); the renderer
    escapes everything and turns those spans into ``<code>``.

    Attributes:
        summary: One dense line, readable at a glance.
        details: Further points, each a short sentence with its qualifiers.
        unverified: True when the vendor does not publish the figure or we
            could not confirm it; the sheet flags the entry.
    """

    summary: Annotated[str, Field(min_length=1)]
    details: list[str] = []
    unverified: bool = False


class Connector(StrictModel):
    """One system on the cheat sheet.

    Attributes:
        id: Stable identifier; the connector's anchor is ``#<id>``.
        name: Product name.
        vendor: Company that makes it.
        page: Docs-relative Markdown page with the full write-up.
        entries: Facet id to the connector's entry for that facet.
    """

    id: Slug
    name: str
    vendor: str
    page: str
    entries: dict[str, Entry]


class ConnectorSheet(StrictModel):
    """The whole ``connectors.yaml`` file.

    Attributes:
        facets: The rows of the sheet, in display order.
        connectors: The systems, in display order.
    """

    facets: Annotated[list[Facet], Field(min_length=12)]
    connectors: Annotated[list[Connector], Field(min_length=8)]

    @model_validator(mode="after")
    def _complete_and_unique(self) -> ConnectorSheet:
        """Every connector answers exactly the declared facets; ids are unique."""
        facet_ids = [f.id for f in self.facets]
        connector_ids = [c.id for c in self.connectors]
        for kind, ids in (("facet", facet_ids), ("connector", connector_ids)):
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise ValueError(f"duplicate {kind} ids: {', '.join(duplicates)}")
        clash = sorted(set(facet_ids) & set(connector_ids))
        if clash:
            raise ValueError(f"ids used for both a facet and a connector: {', '.join(clash)}")
        expected = set(facet_ids)
        for connector in self.connectors:
            require_exact_keys(
                f"connector '{connector.id}'",
                "entries must cover the facets",
                set(connector.entries),
                expected,
            )
        return self

    def facet(self, facet_id: str) -> Facet:
        """Look up a facet by id (``KeyError`` if unknown)."""
        for facet in self.facets:
            if facet.id == facet_id:
                return facet
        raise KeyError(facet_id)

    def connector(self, connector_id: str) -> Connector:
        """Look up a connector by id (``KeyError`` if unknown)."""
        for connector in self.connectors:
            if connector.id == connector_id:
                return connector
        raise KeyError(connector_id)

    def anchors(self) -> list[str]:
        """Every anchor the cheat sheet publishes, in page order."""
        found = [f"facet-{f.id}" for f in self.facets]
        for connector in self.connectors:
            found.append(connector.id)
            found.extend(f"{connector.id}-{f.id}" for f in self.facets)
        return found

    def csv_rows(self) -> list[dict[str, str]]:
        """One flat row per connector and facet, for the CSV download."""
        rows = []
        for connector in self.connectors:
            for facet in self.facets:
                entry = connector.entries[facet.id]
                rows.append(
                    {
                        "connector": connector.id,
                        "facet": facet.id,
                        "summary": entry.summary,
                        "details": " | ".join(entry.details),
                        "unverified": str(entry.unverified).lower(),
                        "confidence": entry.confidence or "",
                        "estimate": str(entry.estimate).lower(),
                        "reviewed": entry.reviewed.isoformat(),
                        "sources": "; ".join(f"{s.title} <{s.url}>" for s in entry.sources),
                    }
                )
        return rows
