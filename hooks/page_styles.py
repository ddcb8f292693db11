"""MkDocs hook: load page-specific stylesheets only on the pages that need them.

Every stylesheet in ``extra_css`` is render-blocking on every page. Widget
styles (the matrix, the calculator...) are needed on a handful of pages, so a
page asks for them in its front matter::

    styles: [matrix]

and the hook links ``assets/stylesheets/matrix.css`` at the top of that page's
content. Linking inside the content (valid HTML) also makes the stylesheet
travel with the page when Material's instant navigation swaps content in.
mkdocstrings' stylesheet is treated the same way: kept only on API pages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

CONTENT_START = re.compile(r'(<article class="md-content__inner md-typeset">)')
MKDOCSTRINGS_LINK = re.compile(r'\s*<link rel="stylesheet" href="[^"]*assets/_mkdocstrings\.css">')
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _requested(page: Any, docs_dir: Path) -> list[str]:
    """Stylesheet names a page declares, validated against the files that exist."""
    names = page.meta.get("styles") or []
    if isinstance(names, str) or not isinstance(names, list):
        raise PluginError(f"{page.file.src_path}: front matter 'styles' must be a list of names")
    for name in names:
        if not isinstance(name, str) or not NAME.match(name):
            raise PluginError(f"{page.file.src_path}: front matter 'styles' has an invalid name {name!r}")
        if not (docs_dir / "assets" / "stylesheets" / f"{name}.css").is_file():
            raise PluginError(f"{page.file.src_path}: no stylesheet docs/assets/stylesheets/{name}.css")
    return names


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Move page-specific stylesheets into the pages that use them."""
    hrefs = [f"assets/stylesheets/{name}.css" for name in _requested(page, Path(config["docs_dir"]))]
    link_in_head = MKDOCSTRINGS_LINK.search(output)
    if link_in_head:
        output = output.replace(link_in_head.group(0), "", 1)
        if 'class="doc doc-' in output:
            hrefs.append("assets/_mkdocstrings.css")
    if not hrefs:
        return output
    links = "".join(
        f'<link rel="stylesheet" href="{get_relative_url(href, page.url or ".")}">' for href in hrefs
    )
    output, count = CONTENT_START.subn(lambda m: m.group(1) + links, output, count=1)
    if count != 1:
        raise PluginError(f"{page.file.src_path}: cannot find the page content to attach its stylesheets")
    return output
