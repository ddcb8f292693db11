"""Render the pattern decision matrix and the build-vs-buy table."""

from __future__ import annotations

from macros.html import Markup, page_href, provenance, source_links, table
from macros.models.patterns import Pattern, PatternCatalog

LEVEL_LABEL = {"low": "Low", "medium": "Medium", "high": "High"}


def _pattern_name(pattern: Pattern, from_url: str) -> Markup:
    name = Markup("{}").format(pattern.name)
    if pattern.page:
        name = Markup('<a href="{}">{}</a>').format(page_href(pattern.page, from_url), name)
    return Markup("{}<br><small>{}</small>").format(name, pattern.examples)


def pattern_matrix(catalog: PatternCatalog, from_url: str = "") -> Markup:
    """Render the decision matrix: one row per integration pattern.

    Args:
        catalog: The data to render (``patterns.yaml``).
        from_url: URL of the page that shows the matrix (for relative links).

    Returns:
        An HTML table; each row has the anchor ``pattern-<id>``.
    """
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
            p.latency,
            LEVEL_LABEL[p.volume],
            LEVEL_LABEL[p.complexity],
            p.guarantees,
            p.best_for,
            p.avoid_when,
            Markup('{}<br><small title="{}">reviewed {}</small>').format(
                source_links(p.sources), provenance(p), p.reviewed.isoformat()
            ),
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


def build_vs_buy_table(catalog: PatternCatalog) -> Markup:
    """Render the iPaaS vs dlt vs custom code decision table.

    Args:
        catalog: The data to render (``patterns.yaml``).

    Returns:
        An HTML table, one row per decision factor.
    """
    headers = ["Factor", *[a.name for a in catalog.approaches], "Sources"]
    rows = [
        [f.factor, *[f.verdicts[a.id] for a in catalog.approaches], source_links(f.sources)]
        for f in catalog.factors
    ]
    return table(
        "iPaaS vs dlt vs custom code",
        headers,
        rows,
        table_id="build-vs-buy",
        row_ids=[f"factor-{f.id}" for f in catalog.factors],
    )
