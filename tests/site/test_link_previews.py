"""Link previews, page titles and the not-found page, read from the built HTML."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PREVIEW_TAGS = (
    ("property", "og:title"),
    ("property", "og:description"),
    ("property", "og:url"),
    ("property", "og:type"),
    ("property", "og:site_name"),
    ("property", "og:image"),
    ("name", "twitter:card"),
    ("name", "twitter:title"),
    ("name", "twitter:description"),
    ("name", "twitter:image"),
)


def content_pages(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("index.html") if "assets" not in p.parts)


def meta(page_html: str, attribute: str, name: str) -> str | None:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', page_html)
    return html.unescape(match.group(1)) if match else None


def title(page_html: str) -> str:
    match = re.search(r"<title>([^<]*)</title>", page_html)
    assert match, "no <title>"
    return html.unescape(match.group(1))


def test_every_page_carries_open_graph_and_twitter_tags(site_dir: Path, site_url: str) -> None:
    for path in content_pages(site_dir):
        page_html = path.read_text(encoding="utf-8")
        where = path.relative_to(site_dir)
        for attribute, name in PREVIEW_TAGS:
            assert meta(page_html, attribute, name), f"{where}: no {name}"
        description = meta(page_html, "name", "description")
        assert meta(page_html, "property", "og:description") == description, where
        url = meta(page_html, "property", "og:url")
        assert url == site_url + path.parent.relative_to(site_dir).as_posix().removeprefix(".") + (
            "/" if path.parent != site_dir else ""
        ), where
        assert meta(page_html, "property", "og:site_name") == "Integration Patterns"
        assert meta(page_html, "name", "twitter:card") == "summary_large_image"


def test_the_card_image_is_served_by_the_site_itself(site_dir: Path, site_url: str) -> None:
    page_html = (site_dir / "index.html").read_text(encoding="utf-8")
    image = meta(page_html, "property", "og:image")
    assert image == site_url + "assets/images/social-card.png"
    png = (site_dir / "assets/images/social-card.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1200, 630)


def test_titles_never_repeat_the_site_name(site_dir: Path) -> None:
    assert title((site_dir / "index.html").read_text(encoding="utf-8")) == "Integration Patterns"
    assert meta((site_dir / "index.html").read_text(encoding="utf-8"), "property", "og:type") == "website"
    for path in content_pages(site_dir):
        text = title(path.read_text(encoding="utf-8"))
        assert text.count("Integration Patterns") == 1, f"{path.relative_to(site_dir)}: {text}"
    matrix = (site_dir / "ipaas/comparison-matrix/index.html").read_text(encoding="utf-8")
    assert title(matrix) == "iPaaS comparison matrix - Integration Patterns"
    assert meta(matrix, "property", "og:type") == "article"


def test_the_not_found_page_offers_a_way_on(site_dir: Path) -> None:
    page_html = (site_dir / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in page_html
    links = re.findall(r'<ul class="ip-not-found">(.*?)</ul>', page_html, re.S)
    assert links, "no list of sections"
    hrefs = re.findall(r'href="([^"]+)"', links[0])
    assert len(hrefs) >= 8
    for href in hrefs:
        # Absolute paths: the page is served for wrong addresses at any depth.
        assert href.startswith("/"), href
        target = site_dir / href.lstrip("/") / "index.html" if href != "/" else site_dir / "index.html"
        assert target.is_file(), href
    assert "<kbd>/</kbd>" in page_html
