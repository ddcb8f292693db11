"""Render the glossary page and the abbreviation lines behind its tooltips."""

from __future__ import annotations

from macros.html import Markup, page_href, table
from macros.models.glossary import Glossary

SEARCH_WEIGHT_OF_A_TERM = 5


def term_anchor(term: str) -> str:
    """Anchor of a term on the glossary page (``term-cdc``).

    Args:
        term: The glossary term.

    Returns:
        A lower-case, hyphenated id.
    """
    slug = "".join(ch.lower() if ch.isalnum() else "-" for ch in term).strip("-")
    return "term-" + "-".join(part for part in slug.split("-") if part)


def abbreviation_lines(glossary: Glossary) -> str:
    """Abbreviation definitions in Python-Markdown's ``abbr`` syntax.

    Args:
        glossary: The data (``glossary.yaml``).

    Returns:
        One ``*[TERM]: tooltip`` line per term.
    """
    return "\n".join(f"*[{t.term}]: {t.tooltip}" for t in glossary.terms) + "\n"


def glossary_table(glossary: Glossary, from_url: str = "") -> Markup:
    """Render the glossary as a table sorted by term, each row linkable.

    Args:
        glossary: The data (``glossary.yaml``).
        from_url: URL of the page showing the table (for relative links).

    Returns:
        An HTML table with one row per term.
    """
    terms = sorted(glossary.terms, key=lambda t: t.term.lower())
    rows = []
    # A term and its expansion are the row's heading: search weighs them as one
    # (Pagefind's data-pagefind-weight; an h3 weighs 5).
    weighed = Markup('<{0} data-pagefind-weight="{1}">{2}</{0}>')
    for t in terms:
        meaning = Markup("{}").format(t.definition)
        if t.see:
            meaning += Markup(' <a href="{}">More on {}</a>').format(page_href(t.see, from_url), t.term)
        expansion = weighed.format("span", SEARCH_WEIGHT_OF_A_TERM, t.expansion) if t.expansion else ""
        rows.append([weighed.format("dfn", SEARCH_WEIGHT_OF_A_TERM, t.term), expansion, meaning])
    return table(
        "Glossary of integration terms",
        ["Term", "Stands for", "Meaning"],
        rows,
        table_id="glossary",
        row_ids=[term_anchor(t.term) for t in terms],
    )
