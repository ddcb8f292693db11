"""MkDocs hook: code blocks with one element per coloured token, not one per token.

Pygments wraps every token of a code block in a ``<span>``: each name, space,
bracket, comma and operator. On the snippet-heavy pages those spans were a
large share of the page's elements (675 of the 1,481 in the retry page's HTML),
and the theme restyles every element of a page several times while it starts,
so they cost the reader time on every load.

Four token classes are painted in the code block's own text colour:

- ``n`` (names) and ``w`` (whitespace): the theme already shows them in the
  code's text colour (``--md-code-hl-name-color``) or not at all;
- ``p`` (punctuation) and ``o`` (operators): this site shows them in the code's
  text colour too, through the theme's documented colour variables
  (``--md-code-hl-punctuation-color`` and ``--md-code-hl-operator-color`` in
  ``docs/assets/stylesheets/site.css``).

Their spans add nothing to what is painted, so this hook leaves their text
bare. Keywords, strings, numbers, comments, built-ins and function names keep
their spans and colours. The text of every block is unchanged: copy buttons,
search and the Markdown copies read the same characters.
"""

from __future__ import annotations

import re
from typing import Any

PLAIN_TOKENS = ("n", "w", "p", "o")
"""Pygments token classes painted in the code's own text colour."""

_CODE = re.compile(r"<code\b[^>]*>.*?</code>", re.S)
_PLAIN_SPAN = re.compile(r'<span class="(?:' + "|".join(PLAIN_TOKENS) + r')">([^<]*)</span>')


def unwrap_plain_tokens(html: str) -> str:
    """Remove the spans of plain tokens inside ``<code>`` elements of ``html``.

    Only a span whose class is exactly one of ``PLAIN_TOKENS`` and that holds
    text alone is removed; its text stays in place. Pygments never nests token
    spans, so nothing else inside a code block is touched, and nothing outside
    ``<code>`` is.

    Args:
        html: A page's HTML (or any fragment).

    Returns:
        The same HTML with those spans unwrapped.
    """
    return _CODE.sub(lambda block: _PLAIN_SPAN.sub(r"\1", block.group(0)), html)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Unwrap plain token spans in every page's code blocks and inline code."""
    return unwrap_plain_tokens(html)
