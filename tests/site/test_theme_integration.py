"""The theme is integrated the documented way, and ordinary extensions keep working.

Nothing in ``overrides/`` or ``hooks/`` may rewrite, re-order or re-dispatch the
theme's scripts or edit its bundle. The built bundle is byte-identical to the
installed theme's; the page's scripts are plain ``<script>`` elements in the
theme's order; overrides use documented blocks only. An extension test builds a
small site with our overrides, hooks, styles and scripts plus the three kinds of
extension a site owner adds, and checks each runs exactly once per page view.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import material
import pytest

ROOT = Path(__file__).resolve().parents[2]
THEME = Path(material.__file__).parent / "templates"
# Blocks Material documents for overriding, of which we use the first four (config
# names the search worker, see overrides/partials/search-config.html).
DOCUMENTED_BLOCKS = {
    "htmltitle",
    "extrahead",
    "content",
    "config",
    "announce",
    "outdated",
    "footer",
    "site_meta",
}

pytestmark = pytest.mark.slow


def test_overrides_use_documented_blocks_only() -> None:
    main = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    blocks = set(re.findall(r"{%-?\s*block\s+(\w+)", main))
    assert blocks <= DOCUMENTED_BLOCKS, blocks - DOCUMENTED_BLOCKS
    assert "scripts" not in blocks and "libs" not in blocks
    for path in (ROOT / "overrides").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for forbidden in ("DOMContentLoaded", 'rel="preload"', 'rel="expect"', "blocking=", "dispatchEvent"):
            assert forbidden not in text, f"{path.relative_to(ROOT)} contains {forbidden}"


def test_no_override_replaces_a_theme_file_but_the_documented_templates() -> None:
    """Our partials are new files: none shadows one of the theme's, its scripts above all."""
    for path in (ROOT / "overrides").rglob("*.html"):
        relative = path.relative_to(ROOT / "overrides")
        if relative.as_posix() in ("main.html", "404.html"):
            continue
        replaced = (THEME / relative).exists()
        assert not replaced, f"overrides/{relative.as_posix()} replaces the theme's own file"


def test_no_hook_touches_the_theme_scripts() -> None:
    for path in (ROOT / "hooks").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for forbidden in (
            "bundle.min",
            "bundle.*",
            "<script src",
            "@import",
            "DOMContentLoaded",
            "allFunctions",
        ):
            assert forbidden not in text, f"{path.relative_to(ROOT)} mentions {forbidden}"


def test_the_built_bundle_is_the_theme_s_own(site_dir: Path) -> None:
    built = sorted((site_dir / "assets" / "javascripts").glob("bundle.*.min.js*"))
    assert built, "no bundle in the build"
    for path in built:
        shipped = THEME / "assets" / "javascripts" / path.name
        assert path.read_bytes() == shipped.read_bytes(), f"{path.name} differs from the theme's"


def test_pages_load_scripts_as_the_theme_writes_them(site_dir: Path) -> None:
    for relative in ("index.html", "ipaas/comparison-matrix/index.html", "404.html"):
        html = (site_dir / relative).read_text(encoding="utf-8")
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert re.search(r"assets/javascripts/bundle\.\w+\.min\.js$", scripts[0]), scripts
        assert scripts[-1].endswith("assets/javascripts/widgets.js"), scripts
        assert 'as="script"' not in html and 'rel="expect"' not in html
        assert "@import" not in html


EXTENSIONS_PAGE = """\
---
description: A page of the extension test site, with enough text to be a page.
reviewed: 2026-11-30
sources:
  - title: Example
    url: https://example.org/
---

# {title}

[Other page]({other})
"""

# What a site owner adds to the theme's documented `scripts` block: an inline
# subscription to the theme's page-change observable, after the theme's scripts.
INLINE_SUBSCRIPTION = """
{% block scripts %}
  {{ super() }}
  <script>
    window.ipRuns = window.ipRuns || {};
    document$.subscribe(function () {
      window.ipRuns.inline = (window.ipRuns.inline || 0) + 1;
    });
  </script>
{% endblock %}
"""

EXTENSIONS_CONFIG = """\
site_name: Extension test
site_url: {site_url}
docs_dir: docs
theme:
  name: material
  custom_dir: overrides
  font: false
  features: [navigation.instant]
  palette:
    - scheme: default
      toggle: {{icon: material/weather-night, name: Dark}}
    - scheme: slate
      toggle: {{icon: material/weather-sunny, name: Light}}
hooks:
{hooks}
extra_css: [assets/stylesheets/site.css]
extra_javascript:
  - early.js
  - assets/javascripts/widgets.js
  - path: module.js
    type: module
"""


@pytest.fixture(scope="module")
def extension_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import free_port

    work = tmp_path_factory.mktemp("extensions")
    shutil.copytree(ROOT / "overrides", work / "overrides")
    main = work / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + INLINE_SUBSCRIPTION, encoding="utf-8")
    docs = work / "docs"
    (docs / "other").mkdir(parents=True)
    (docs / "assets" / "stylesheets").mkdir(parents=True)
    (docs / "assets" / "javascripts").mkdir(parents=True)
    for name in ("site.css",):
        (docs / "assets" / "stylesheets" / name).write_bytes(
            (ROOT / "docs/assets/stylesheets" / name).read_bytes()
        )
    (docs / "assets" / "javascripts" / "widgets.js").write_bytes(
        (ROOT / "docs/assets/javascripts/widgets.js").read_bytes()
    )
    (docs / "index.md").write_text(EXTENSIONS_PAGE.format(title="Start", other="other/index.md"))
    (docs / "other" / "index.md").write_text(EXTENSIONS_PAGE.format(title="Other", other="../index.md"))
    (docs / "early.js").write_text(
        textwrap.dedent("""\
            window.ipRuns = window.ipRuns || {};
            document.addEventListener("DOMContentLoaded", function () {
              window.ipRuns.ready = (window.ipRuns.ready || 0) + 1;
            });
        """)
    )
    (docs / "module.js").write_text(
        "export const loaded = true;\nwindow.ipRuns = window.ipRuns || {};\n"
        "window.ipRuns.module = (window.ipRuns.module || 0) + 1;\n"
    )
    hooks = "\n".join(f"  - {path}" for path in sorted((ROOT / "hooks").glob("[a-z]*.py")))
    port = free_port()
    (work / "mkdocs.yml").write_text(
        EXTENSIONS_CONFIG.format(site_url=f"http://127.0.0.1:{port}/", hooks=hooks)
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=work,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (work / "site" / ".port").write_text(str(port))
    return work / "site"


@pytest.mark.browser
def test_module_inline_and_early_listener_extensions_run_once(extension_site: Path, page: Any) -> None:
    import functools
    import http.server
    import threading

    from tests.conftest import _QuietHandler

    port = int((extension_site / ".port").read_text())
    handler = functools.partial(_QuietHandler, directory=str(extension_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_function("window.ipRuns && window.ipRuns.module === 1 && window.ipRuns.inline === 1")
        page.wait_for_timeout(500)
        assert page.evaluate("window.ipRuns") == {"ready": 1, "module": 1, "inline": 1}

        # In-site navigation: the inline subscription sees the new page once;
        # the page-load listeners and the module do not run again.
        page.evaluate("window.__sameDocument = true")
        page.locator("article a", has_text="Other page").click()
        page.wait_for_url("**/other/")
        page.wait_for_function("window.ipRuns.inline >= 2")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__sameDocument") is True
        assert page.evaluate("window.ipRuns") == {"ready": 1, "module": 1, "inline": 2}
    finally:
        server.shutdown()
        server.server_close()


def test_no_page_links_a_stylesheet_of_its_own() -> None:
    # A stylesheet that arrives with the content after in-site navigation moves
    # the layout after the theme has scrolled to the target: all styles are site-wide.
    for path in (ROOT / "docs").rglob("*.md"):
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        assert not re.search(r"^styles:", head, re.M), f"{path.relative_to(ROOT)}: use extra_css instead"


TEMPLATE_PAGES = {
    "home": "",
    "content": "patterns/choose-a-pattern/",
    "glossary": "reference/glossary/",
    "api": "reference/api/tco-inputs/",
    "matrix": "ipaas/comparison-matrix/",
    "platform": "ipaas/platforms/workato/",
    "calculator": "tco/calculator/",
    "cheat-sheet": "connectors/cheat-sheet/",
    "connector": "connectors/salesforce/",
    "retry": "reliability/retry-backoff/",
    "not-found": "404.html",
}


@pytest.mark.browser
@pytest.mark.parametrize("path", TEMPLATE_PAGES.values(), ids=TEMPLATE_PAGES.keys())
def test_every_page_template_keeps_the_console_silent(page: Any, site_url: str, path: str) -> None:
    # The `page` fixture fails the test on any console error or warning; here each
    # template is loaded fresh and then reached again by in-site navigation.
    page.goto(site_url + path, wait_until="networkidle")
    page.wait_for_timeout(300)
    if path != "404.html":
        page.evaluate("window.__sameDocument = true")
        page.locator(".md-header a.md-logo").first.click()
        page.wait_for_url(site_url)
        page.go_back()
        page.wait_for_url(site_url + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__sameDocument") is True
