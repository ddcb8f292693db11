"""hooks/code_block_heights.py: every code block carries its line count, nothing else changes."""

from __future__ import annotations

import re
from pathlib import Path

import markdown

from hooks.code_block_heights import code_lines, on_page_content, size_code_blocks

ROOT = Path(__file__).resolve().parents[2]
LINES = re.compile(r'<div class="[^"]*\bhighlight\b[^"]*" style="--ip-code-lines: (\d+)">')


def render(source: str, language: str = "python") -> str:
    """A fenced block rendered by the site's highlighting extensions, as on a page."""
    return markdown.markdown(
        f"Text before.\n\n```{language}\n{source}\n```\n\nText after.\n",
        extensions=["pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}},
    )


def test_a_block_gets_the_number_of_lines_it_shows() -> None:
    source = (ROOT / "snippets/reliability/retry_backoff.py").read_text(encoding="utf-8").rstrip("\n")
    out = on_page_content(render(source), page=None, config=None, files=None)
    assert LINES.findall(out) == [str(source.count("\n") + 1)]
    one = size_code_blocks(render("x = 1"))
    assert LINES.findall(one) == ["1"]


def test_only_the_opening_tag_changes() -> None:
    page = render("a = 1\nb = 2\n\nc = 3", "python") + render("SELECT 1;", "sql")
    out = size_code_blocks(page)
    assert LINES.findall(out) == ["4", "1"]
    assert re.sub(r' style="--ip-code-lines: \d+"', "", out) == page


def test_blocks_with_a_style_and_other_highlight_classes_are_left_alone() -> None:
    styled = '<div class="highlight" style="color: red"><pre><span></span><code>x\n</code></pre></div>'
    assert size_code_blocks(styled) == styled
    footer = '<span class="md-copyright__highlight">Made with</span>'
    table = '<div class="highlighttable"><pre><code>x\n</code></pre></div>'
    assert size_code_blocks(footer + table) == footer + table


def test_line_counting() -> None:
    assert code_lines("a\nb\n") == 2
    assert code_lines("a\nb") == 2  # a block whose last line has no newline
    assert code_lines("") == 1
