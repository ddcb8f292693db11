"""The strict build succeeds and produces what readers and crawlers expect."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hooks.code_tokens import PLAIN_TOKENS
from macros import datasets

pytestmark = pytest.mark.slow


def html_pages(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("index.html") if "assets" not in p.parts)


def test_strict_build_passes(site_build) -> None:
    out, result = site_build
    assert result.returncode == 0, result.stderr[-4000:]
    assert (out / "index.html").is_file()


def test_every_page_has_a_meta_description(site_dir: Path) -> None:
    for page in html_pages(site_dir):
        html = page.read_text(encoding="utf-8")
        match = re.search(r'<meta name="description" content="([^"]+)"', html)
        assert match and len(match.group(1)) >= 50, f"{page.relative_to(site_dir)}: no page description"


def test_every_content_page_shows_review_date_and_sources(site_dir: Path) -> None:
    for page in html_pages(site_dir):
        html = page.read_text(encoding="utf-8")
        assert 'class="ip-provenance"' in html, f"{page.relative_to(site_dir)}: no provenance block"
        assert re.search(r"Last reviewed\s+<time datetime=\"\d{4}-\d{2}-\d{2}\">", html)
        assert 'class="ip-provenance__sources"' in html


def test_not_found_page_and_sitemap(site_dir: Path) -> None:
    assert "Page not found" in (site_dir / "404.html").read_text(encoding="utf-8")
    tree = ET.parse(site_dir / "sitemap.xml")
    locs = [el.text for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == len(html_pages(site_dir))
    assert any(loc.endswith("/patterns/choose-a-pattern/") for loc in locs)


def test_datasets_are_published_as_json_and_csv(site_dir: Path) -> None:
    for entry in datasets.DATASETS:
        payload = json.loads((site_dir / "data" / f"{entry.name}.json").read_text(encoding="utf-8"))
        assert payload["generated"].startswith("Generated")
        csv_text = (site_dir / "data" / f"{entry.name}.csv").read_text(encoding="utf-8")
        assert csv_text.count("\n") >= 2


def test_glossary_terms_become_tooltips(site_dir: Path) -> None:
    html = (site_dir / "patterns/choose-a-pattern/index.html").read_text(encoding="utf-8")
    assert re.search(r'<abbr title="Change data capture: [^"]+">CDC</abbr>', html)


def test_snippets_are_rendered_into_pages(site_dir: Path) -> None:
    html = (site_dir / "patterns/choose-a-pattern/index.html").read_text(encoding="utf-8")
    assert "choose_pattern" in html
    assert "--8&lt;--" not in html and "--8<--" not in html


def test_code_blocks_keep_spans_for_coloured_tokens_only(site_dir: Path) -> None:
    # hooks/code_tokens.py: names, whitespace, punctuation and operators are bare text.
    code = re.compile(r"<code\b[^>]*>.*?</code>", re.S)
    plain = re.compile(r'<span class="(?:' + "|".join(PLAIN_TOKENS) + r')">')
    coloured = 0
    for page in html_pages(site_dir):
        for block in code.findall(page.read_text(encoding="utf-8")):
            assert not plain.search(block), (page, block[:300])
            coloured += block.count('<span class="k">')
    assert coloured > 100
