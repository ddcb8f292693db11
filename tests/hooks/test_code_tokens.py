"""hooks/code_tokens.py: plain token spans leave code blocks, their text stays."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest

from hooks.code_tokens import PLAIN_TOKENS, on_page_content, unwrap_plain_tokens

ROOT = Path(__file__).resolve().parents[2]
SPAN_CLASS = re.compile(r'<span class="([^"]+)">')
PRE = re.compile(r"<pre>(.*?)</pre>", re.S)


def render(source: str, language: str) -> str:
    """A fenced block rendered by the site's highlighting extensions, as on a page."""
    fence = f"```{language}\n{source}\n```\n"
    return markdown.markdown(
        fence,
        extensions=["pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}},
    )


def text_of(block: str) -> str:
    """What a reader sees and copies: the block's characters without tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", block))


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("snippets/reliability/retry_backoff.py", "python"),
        ("snippets/connectors/salesforce.py", "python"),
        ("mkdocs.yml", "yaml"),
        ("pyproject.toml", "toml"),
    ],
)
def test_a_real_block_keeps_its_text_and_loses_only_plain_spans(path: str, language: str) -> None:
    source = (ROOT / path).read_text(encoding="utf-8")
    before = render(source, language)
    after = unwrap_plain_tokens(before)
    [block_before] = PRE.findall(before)
    [block_after] = PRE.findall(after)
    assert text_of(block_after) == text_of(block_before)
    classes_before = SPAN_CLASS.findall(block_before)
    classes_after = SPAN_CLASS.findall(block_after)
    assert set(PLAIN_TOKENS) & set(classes_before), classes_before
    assert not set(PLAIN_TOKENS) & set(classes_after), classes_after
    # Every coloured token keeps its span, in order.
    assert classes_after == [name for name in classes_before if name not in PLAIN_TOKENS]
    assert len(classes_after) < len(classes_before) * 0.8


def test_inline_code_is_unwrapped_too() -> None:
    fragment = (
        '<p>Call <code class="highlight"><span class="n">retry</span><span class="p">()</span></code></p>'
    )
    assert unwrap_plain_tokens(fragment) == '<p>Call <code class="highlight">retry()</code></p>'


def test_spans_outside_code_and_other_classes_are_left_alone() -> None:
    fragment = (
        '<p><span class="n">not code</span></p>'
        '<code><span class="k">def</span> <span class="n nb">x</span>'
        '<span class="p"><a href="#a">link</a></span><span class="w"> </span></code>'
    )
    assert unwrap_plain_tokens(fragment) == (
        '<p><span class="n">not code</span></p>'
        '<code><span class="k">def</span> <span class="n nb">x</span>'
        '<span class="p"><a href="#a">link</a></span> </code>'
    )


def test_the_hook_applies_the_rule_to_page_content() -> None:
    page = (
        '<pre><code><span class="n">a</span><span class="w"> </span>'
        '<span class="o">=</span> <span class="mi">1</span></code></pre>'
    )
    assert on_page_content(page, page=None, config=None, files=None) == (
        '<pre><code>a = <span class="mi">1</span></code></pre>'
    )
