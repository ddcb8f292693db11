"""Code blocks hold no link target.

site.css renders an off-screen code block only when the reader scrolls near it
(``content-visibility: auto``). A link target inside one would be placed by the
block's estimated height, not its real one, so this test keeps them out: no
element inside a code block, nor the block itself, carries an ``id``.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


class CodeBlockIds(HTMLParser):
    """Collects the ids found on or inside elements of class ``highlight``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # open elements since the outermost code block began; 0 outside one
        self.blocks = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        starts_block = "highlight" in (values.get("class") or "").split()
        if self.depth or starts_block:
            if values.get("id"):
                self.ids.append(str(values["id"]))
            if not self.depth:
                self.blocks += 1
            if tag not in VOID:
                self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in VOID:
            self.depth -= 1


def code_block_ids(html: str) -> tuple[int, list[str]]:
    """How many code blocks ``html`` has, and the ids on or inside them."""
    parser = CodeBlockIds()
    parser.feed(html)
    return parser.blocks, parser.ids


def test_the_parser_finds_an_id_in_a_code_block() -> None:
    html = (
        '<p id="before">x</p><div class="language-py highlight"><pre><span></span>'
        '<code><a id="line-1"></a>x = 1<br></code></pre></div><h2 id="after">y</h2>'
    )
    assert code_block_ids(html) == (1, ["line-1"])
    assert code_block_ids('<div class="highlight" id="b"><pre>x</pre></div>') == (1, ["b"])


def test_no_code_block_on_the_site_holds_a_link_target(site_dir: Path) -> None:
    blocks, found = 0, {}
    for page in sorted(site_dir.rglob("*.html")):
        count, ids = code_block_ids(page.read_text(encoding="utf-8"))
        blocks += count
        if ids:
            found[str(page.relative_to(site_dir))] = ids[:3]
    assert blocks > 150, blocks  # the site's code is where the rule applies
    assert found == {}


def test_the_stylesheet_renders_code_blocks_near_the_screen_only() -> None:
    css = (ROOT / "docs/assets/stylesheets/site.css").read_text(encoding="utf-8")
    rule = css.split(".md-typeset .highlight {", 1)[1].split("}", 1)[0]
    assert "content-visibility: auto;" in rule
    assert "contain-intrinsic-size: auto " in rule
