"""The build hook writes Pagefind's index and slims the theme's index."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from hooks.pagefind_index import index_site, keep_settings_only, without_unused_anchors, write_spelling

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<nav>Navigation words nobody searches</nav>
<article class="md-content__inner md-typeset">
<h1 id="{slug}">{title}<a class="headerlink" href="#{slug}">¶</a></h1>
<p>{text}</p>
<aside class="ip-provenance"><h2 id="ip-provenance-title">Sources and review</h2><p>provenanceonly</p></aside>
</article></body></html>"""


def write_page(site: Path, path: str, title: str, text: str) -> None:
    target = site / path / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    slug = title.lower().replace(" ", "-")
    target.write_text(PAGE.format(title=title, slug=slug, text=text), encoding="utf-8")


def test_index_site_writes_a_chunked_index(tmp_path: Path) -> None:
    write_page(tmp_path, "", "Home", "Start here.")
    write_page(tmp_path, "connectors/salesforce", "Salesforce", "Follow nextRecordsUrl until done.")
    index_site(tmp_path)
    index = tmp_path / "pagefind"
    assert (index / "pagefind.js").exists()
    assert list((index / "index").glob("*.pf_index"))
    assert len(list((index / "fragment").glob("*.pf_fragment"))) == 2


def test_index_site_reports_failure(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match="pagefind_index: Pagefind failed"):
        index_site(tmp_path / "missing")


def test_theme_index_keeps_its_settings_only(tmp_path: Path) -> None:
    index_file = tmp_path / "search_index.json"
    config = {"lang": ["en"], "separator": "[\\\\s\\\\-]+", "pipeline": ["stopWordFilter"], "fields": {}}
    docs = [{"location": "", "title": "Home", "text": "x"}]
    index_file.write_text(json.dumps({"config": config, "docs": docs}))
    keep_settings_only(index_file)
    assert json.loads(index_file.read_text()) == {"config": config, "docs": []}


def test_missing_theme_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match="search plugin enabled"):
        keep_settings_only(tmp_path / "search_index.json")


def test_spelling_list_holds_common_words_most_frequent_first(tmp_path: Path) -> None:
    write_page(tmp_path, "", "Home", "Idempotency keys and retries.")
    write_page(tmp_path, "a", "Retries", "Retries need idempotency; once is rare.")
    write_page(tmp_path, "b", "Keys", "Idempotency again.")
    target = write_spelling(tmp_path)
    words = json.loads(target.read_text())
    assert words[0] == "idempotency"
    assert "retries" in words and "rare" not in words


def test_spelling_list_skips_pages_out_of_search(tmp_path: Path) -> None:
    write_page(tmp_path, "", "Home", "Zebra.")
    write_page(tmp_path, "a", "Other", "Zebra.")
    hidden = tmp_path / "a" / "index.html"
    hidden.write_text(hidden.read_text().replace('md-typeset">', 'md-typeset" data-pagefind-ignore="all">'))
    assert "zebra" not in json.loads(write_spelling(tmp_path).read_text())


def fragments(site: Path) -> list[dict]:
    """Pagefind's fragments of ``site``, decoded (gzip, then a signature, then JSON)."""
    out = []
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        out.append(json.loads(raw[raw.index(b"{") :]))
    return out


def test_fragments_keep_heading_and_row_anchors_only(tmp_path: Path) -> None:
    table = (
        '<table id="matrix"><tr id="row-workato"><td id="cell-workato-price">Tasks'
        ' <a class="ip-src" href="#" data-search-exclude>source</a></td></tr></table>'
    )
    write_page(tmp_path, "", "Matrix", "Prices. " + table)
    index_site(tmp_path)
    [fragment] = fragments(tmp_path)
    assert {(a["element"], a["id"]) for a in fragment["anchors"]} == {("h1", "matrix"), ("tr", "row-workato")}
    assert "Tasks" in fragment["content"] and "source" not in fragment["content"]
    # The published page keeps every id: only Pagefind's copy loses them.
    assert 'id="cell-workato-price"' in (tmp_path / "index.html").read_text()


def test_without_unused_anchors_keeps_headings_and_rows() -> None:
    html = '<h2 id="a">A</h2><tr id="r" class="x"><td class="c" id="c">1</td><th id="t">T</th><trace id="q">'
    assert (
        without_unused_anchors(html)
        == '<h2 id="a">A</h2><tr id="r" class="x"><td class="c">1</td><th>T</th><trace>'
    )
