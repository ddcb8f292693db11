"""Render the pattern decision matrix and the build-vs-buy table."""

from __future__ import annotations

from macros import datasets
from macros.html import esc, page_href, provenance, source_links, table
from macros.models.patterns import Pattern, PatternCatalog

LEVEL_LABEL = {"low": "Low", "medium": "Medium", "high": "High"}


def _catalog() -> PatternCatalog:
    catalog = datasets.load("patterns")
    assert isinstance(catalog, PatternCatalog)
    return catalog


def _pattern_name(pattern: Pattern, from_url: str) -> str:
    name = esc(pattern.name)
    if pattern.page:
        name = f'<a href="{esc(page_href(pattern.page, from_url))}">{name}</a>'
    return f"{name}<br><small>{esc(pattern.examples)}</small>"


def pattern_matrix(from_url: str = "", catalog: PatternCatalog | None = None) -> str:
    """Render the decision matrix: one row per integration pattern.

    Args:
        from_url: URL of the page that shows the matrix (for relative links).
        catalog: The data to render; defaults to ``patterns.yaml``.

    Returns:
        An HTML table; each row has the anchor ``pattern-<id>``.
    """
    catalog = catalog or _catalog()
    headers = [
        "Pattern",
        "Typical latency",
        "Volume",
        "Complexity",
        "Ordering and delivery",
        "Best for",
        "Avoid when",
        "Sources",
    ]
    rows = [
        [
            _pattern_name(p, from_url),
            esc(p.latency),
            LEVEL_LABEL[p.volume],
            LEVEL_LABEL[p.complexity],
            esc(p.guarantees),
            esc(p.best_for),
            esc(p.avoid_when),
            f'{source_links(p.sources)}<br><small title="{esc(provenance(p))}">'
            f"reviewed {p.reviewed.isoformat()}</small>",
        ]
        for p in catalog.patterns
    ]
    return table(
        "Integration patterns compared",
        headers,
        rows,
        table_id="pattern-matrix",
        row_ids=[f"pattern-{p.id}" for p in catalog.patterns],
    )


def build_vs_buy_table(catalog: PatternCatalog | None = None) -> str:
    """Render the iPaaS vs dlt vs custom code decision table.

    Args:
        catalog: The data to render; defaults to ``patterns.yaml``.

    Returns:
        An HTML table, one row per decision factor.
    """
    catalog = catalog or _catalog()
    headers = ["Factor", *[a.name for a in catalog.approaches], "Sources"]
    rows = [
        [
            esc(f.factor),
            *[esc(f.verdicts[a.id]) for a in catalog.approaches],
            source_links(f.sources),
        ]
        for f in catalog.factors
    ]
    return table(
        "iPaaS vs dlt vs custom code",
        headers,
        rows,
        table_id="build-vs-buy",
        row_ids=[f"factor-{f.id}" for f in catalog.factors],
    )
