"""The first paint waits until the whole article is parsed (overrides/main.html)."""

from __future__ import annotations

from pathlib import Path

import pytest

EXPECT = '<link rel="expect" href="#ip-content-end" blocking="render">'
MARKER = '<span id="ip-content-end" hidden></span>'


def test_every_page_waits_for_the_end_of_its_content(site_dir: Path) -> None:
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            continue  # a redirect stub for a moved page has no content
        name = str(page.relative_to(site_dir))
        head, _, body = html.partition("</head>")
        assert head.count(EXPECT) == 1, name
        assert body.count(MARKER) == 1, name
        # The marker follows the article (provenance included) and precedes the footer.
        assert body.rindex("</article>") < body.index(MARKER) < body.index('<footer class="md-footer"'), name


# Records when the end-of-content marker is parsed, to compare with the first paint.
WATCH_MARKER = """
new MutationObserver((records) => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.id === "ip-content-end") window.__contentEndAt = performance.now();
  }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("path", ["ipaas/comparison-matrix/", "reference/api/tco-data/"])
def test_first_paint_comes_after_the_whole_article(page, site_url: str, path: str) -> None:
    page.add_init_script(WATCH_MARKER)
    page.goto(site_url + path, wait_until="load")
    page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length === 1")
    parsed = page.evaluate("window.__contentEndAt")
    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
    assert parsed is not None and parsed < paint
