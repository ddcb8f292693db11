"""The site makes no request to any other host.

Two checks: a static scan of the built HTML, CSS and JavaScript for resources on
other hosts, and a real browser loading every page with the network watched
(one test per page, in test_every_page.py, with the page's axe check).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)
# <link rel=...> values that make the browser fetch the target.
FETCHING_RELS = {
    "stylesheet",
    "preload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "manifest",
    "modulepreload",
    "apple-touch-icon",
    "shortcut",
}
# URL literals inside Material's own bundle, each with the condition under which
# it would be fetched; the tests below prove the condition never holds here.
THEME_BUNDLE_URLS = {
    "https://unpkg.com/mermaid": "only on pages with Mermaid diagrams (asserted absent)",
    "https://unpkg.com/resize-observer-polyfill": "only in browsers without ResizeObserver",
    "https://api.github.com/": "only when repo_url names a GitHub repository (unset)",
}
OUR_JS = Path(__file__).resolve().parents[2] / "docs/assets/javascripts"


class ResourceParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []
        self.inline_styles: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        candidates = []
        if tag in ("script", "img", "iframe", "audio", "video", "source", "track", "embed", "input"):
            candidates += [a.get("src", ""), a.get("srcset", "")]
        if tag == "link" and FETCHING_RELS & set(a.get("rel", "").lower().split()):
            candidates.append(a.get("href", ""))
        if tag == "object":
            candidates.append(a.get("data", ""))
        if tag in ("image", "use"):
            candidates += [a.get("href", ""), a.get("xlink:href", "")]
        if "style" in a:
            self.inline_styles.append(a["style"])
        self.external += [c for c in candidates if EXTERNAL.match(c.strip())]
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        # <style> elements: any url() or @import in them is checked too.
        if self.in_style:
            self.inline_styles.append(data)


def css_urls(text: str) -> list[str]:
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text)
    return [u for u in found if EXTERNAL.match(u.strip())]


def test_style_elements_are_scanned() -> None:
    parser = ResourceParser()
    parser.feed('<style>@import url("https://fonts.example.com/a.css");</style><p>@import url("//x.y/z")</p>')
    assert [u for s in parser.inline_styles for u in css_urls(s)] == ["https://fonts.example.com/a.css"]


def test_html_loads_nothing_from_other_hosts(site_dir: Path) -> None:
    offenders = []
    for page in site_dir.rglob("*.html"):
        parser = ResourceParser()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page.relative_to(site_dir)}: {u}" for u in parser.external]
        offenders += [
            f"{page.relative_to(site_dir)}: style {u}" for s in parser.inline_styles for u in css_urls(s)
        ]
    assert not offenders, offenders


def test_css_loads_nothing_from_other_hosts(site_dir: Path) -> None:
    offenders = []
    for sheet in site_dir.rglob("*.css"):
        offenders += [
            f"{sheet.relative_to(site_dir)}: {u}" for u in css_urls(sheet.read_text(encoding="utf-8"))
        ]
    assert not offenders, offenders


def test_our_javascript_names_no_other_host() -> None:
    offenders = []
    for script in OUR_JS.glob("*.js"):
        for url in re.findall(
            r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s'\"`)]*", script.read_text(encoding="utf-8")
        ):
            if not url.startswith("http://www.w3.org/"):
                offenders.append(f"{script.name}: {url}")
    assert not offenders, offenders


def test_theme_bundle_urls_stay_dormant(site_dir: Path) -> None:
    bundles = list((site_dir / "assets/javascripts").glob("bundle.*.min.js"))
    assert len(bundles) == 1
    text = bundles[0].read_text(encoding="utf-8")
    urls = set(re.findall(r"https://(?:unpkg\.com|cdn\.[a-z.]+|api\.github\.com)[^\s'\"`]*", text))
    unexplained = {u for u in urls if not any(u.startswith(known) for known in THEME_BUNDLE_URLS)}
    assert not unexplained, f"new third-party URLs in the theme bundle: {unexplained}"
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'class="mermaid"' not in html, f"{page}: Mermaid diagrams would load a CDN script"
        assert "md-source" not in html, f"{page}: a repository widget would call the GitHub API"


def test_the_request_guard_sees_the_pages_own_assets(site_url: str, page) -> None:
    """The watch that every page's test relies on (test_every_page.py) sees real traffic."""
    requested: set[str] = set()
    page.on("request", lambda request: requested.add(request.url))
    response = page.goto(site_url, wait_until="networkidle")
    assert response is not None and response.ok
    assert any(u.endswith(".css") for u in requested) and any(u.endswith(".js") for u in requested)
