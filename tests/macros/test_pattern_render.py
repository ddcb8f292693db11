from pathlib import Path

from macros import datasets, glossary_render, pattern_render, site_render
from macros.html import esc

ROOT = Path(__file__).resolve().parents[2]
SITE = datasets.site_data()


def test_matrix_has_a_row_per_pattern_with_sources() -> None:
    catalog = datasets.load("patterns")
    html = pattern_render.pattern_matrix(SITE.patterns, from_url="patterns/choose-a-pattern/")
    for p in catalog.patterns:
        assert f'id="pattern-{p.id}"' in html
        assert esc(p.sources[0].title) in html
        assert f"reviewed {p.reviewed.isoformat()}" in html


def test_matrix_links_each_pattern_to_an_existing_page() -> None:
    for p in datasets.load("patterns").patterns:
        if p.page:
            assert (ROOT / "docs" / p.page.partition("#")[0]).is_file(), (
                f"{p.id}: page {p.page} does not exist"
            )


def test_build_vs_buy_has_a_column_per_approach() -> None:
    catalog = datasets.load("patterns")
    html = pattern_render.build_vs_buy_table(SITE.patterns)
    for a in catalog.approaches:
        assert f'<th scope="col">{a.name}</th>' in html
    assert html.count('<tr id="factor-') == len(catalog.factors)


def test_glossary_rows_are_sorted_and_linkable() -> None:
    html = glossary_render.glossary_table(SITE.glossary)
    assert 'id="term-cdc"' in html
    terms = [t.term.lower() for t in datasets.load("glossary").terms]
    positions = [html.index(f'id="{glossary_render.term_anchor(t)}"') for t in sorted(terms)]
    assert positions == sorted(positions)


def test_abbreviation_lines_follow_abbr_syntax() -> None:
    lines = glossary_render.abbreviation_lines(SITE.glossary).splitlines()
    assert "*[CDC]: Change data capture: Reading every insert" in lines[0]
    assert all(line.startswith("*[") and "]: " in line for line in lines)


def test_downloads_table_links_both_formats_relative_to_the_page() -> None:
    html = site_render.downloads_table(from_url="reference/data/")
    for entry in datasets.DATASETS:
        assert f'href="../../data/{entry.name}.json"' in html
        assert f'href="../../data/{entry.name}.csv"' in html
