"""Every internal link and anchor of the built site resolves.

MkDocs validates links written in Markdown; this also covers links inside raw
HTML emitted by macros, which MkDocs does not check.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.slow


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if values.get("name") and tag == "a":
            self.ids.add(values["name"])
        for attr in ("href", "src"):
            if values.get(attr) and tag in ("a", "img", "script", "link", "source"):
                self.links.append(values[attr])


def parse(path: Path) -> LinkParser:
    parser = LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target_file(site_dir: Path, page: Path, href: str) -> Path:
    # Root-relative links (the 404 page uses them) start at the site's root.
    base = "file://" + (str(site_dir) + "/" if href.startswith("/") else str(page))
    resolved = urlsplit(urljoin(base, href.lstrip("/") if href.startswith("/") else href))
    path = Path(unquote(resolved.path))
    return path / "index.html" if path.is_dir() else path


def test_internal_links_and_anchors_resolve(site_dir: Path) -> None:
    broken = []
    parsed: dict[Path, LinkParser] = {}

    def parsed_page(path: Path) -> LinkParser:
        if path not in parsed:
            parsed[path] = parse(path)
        return parsed[path]

    for page in sorted(site_dir.rglob("*.html")):
        parser = parsed_page(page)
        for href in parser.links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith("//"):
                continue
            target = target_file(site_dir, page, href)
            if not target.exists():
                broken.append(f"{page.relative_to(site_dir)} -> {href}")
                continue
            fragment = urlsplit(href).fragment
            if fragment and target.suffix == ".html":
                ids = parsed_page(target).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{page.relative_to(site_dir)} -> {href} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(broken[:50])
