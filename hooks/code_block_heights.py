"""MkDocs hook: every code block carries its line count, so its placeholder is its real height.

``docs/assets/stylesheets/site.css`` renders a code block only when it comes
near the screen (``content-visibility: auto``). Until then the browser lays the
block out at its ``contain-intrinsic-size``; with one guess for every block, a
page would grow or shrink as the reader scrolls, and a link below the code
would be placed by the guess. This hook writes each block's line count into a
custom property on the block (``style="--ip-code-lines: 23"``), from which the
stylesheet computes the height the block has when rendered: lines times the
code's line height, plus its padding. Pages are as tall before their code is
rendered as after.
"""

from __future__ import annotations

import re
from typing import Any

_BLOCK = re.compile(
    r'<div class="(?P<cls>[^"]*\bhighlight\b[^"]*)"(?P<attrs>[^>]*)>'
    r"(?P<body><pre>.*?<code\b[^>]*>(?P<code>.*?)</code>)",
    re.S,
)


def code_lines(code_html: str) -> int:
    """The number of lines a code block shows: Pygments ends every line with a newline.

    Args:
        code_html: The inside of the block's ``<code>`` element.

    Returns:
        Its line count (at least 1).
    """
    text = code_html if code_html.endswith("\n") else code_html + "\n"
    return max(text.count("\n"), 1)


def size_code_blocks(html: str) -> str:
    """Give every code block of ``html`` (``div.highlight`` with a ``<code>``) its line count.

    A block that already has a ``style`` attribute is left as it is.

    Args:
        html: A page's HTML (or any fragment).

    Returns:
        The same HTML, each code block's opening tag with
        ``style="--ip-code-lines: N"``.
    """

    def sized(block: re.Match[str]) -> str:
        if "style=" in block["attrs"]:
            return block.group(0)
        lines = code_lines(block["code"])
        return f'<div class="{block["cls"]}"{block["attrs"]} style="--ip-code-lines: {lines}">{block["body"]}'

    return _BLOCK.sub(sized, html)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Write the line count of every code block of the page."""
    return size_code_blocks(html)
