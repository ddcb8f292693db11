"""Render the glossary page and the abbreviation lines behind its tooltips."""

from __future__ import annotations

from macros import datasets
from macros.html import esc, page_href, table
from macros.models.glossary import Glossary


def _glossary() -> Glossary:
    glossary = datasets.load("glossary")
    assert isinstance(glossary, Glossary)
    return glossary


def term_anchor(term: str) -> str:
    """Anchor of a term on the glossary page (``term-cdc``).

    Args:
        term: The glossary term.

    Returns:
        A lower-case, hyphenated id.
    """
    slug = "".join(ch.lower() if ch.isalnum() else "-" for ch in term).strip("-")
    return "term-" + "-".join(part for part in slug.split("-") if part)


def abbreviation_lines(glossary: Glossary | None = None) -> str:
    """Abbreviation definitions in Python-Markdown's ``abbr`` syntax.

    Args:
        glossary: The data; defaults to ``glossary.yaml``.

    Returns:
        One ``*[TERM]: tooltip`` line per term.
    """
    glossary = glossary or _glossary()
    return "\n".join(f"*[{t.term}]: {t.tooltip}" for t in glossary.terms) + "\n"


def glossary_table(from_url: str = "", glossary: Glossary | None = None) -> str:
    """Render the glossary as a table sorted by term, each row linkable.

    Args:
        from_url: URL of the page showing the table (for relative links).
        glossary: The data; defaults to ``glossary.yaml``.

    Returns:
        An HTML table with one row per term.
    """
    glossary = glossary or _glossary()
    terms = sorted(glossary.terms, key=lambda t: t.term.lower())
    rows = []
    for t in terms:
        more = f' <a href="{esc(page_href(t.see, from_url))}">More on {esc(t.term)}</a>' if t.see else ""
        rows.append([f"<dfn>{esc(t.term)}</dfn>", esc(t.expansion or ""), esc(t.definition) + more])
    return table(
        "Glossary of integration terms",
        ["Term", "Stands for", "Meaning"],
        rows,
        table_id="glossary",
        row_ids=[term_anchor(t.term) for t in terms],
    )
