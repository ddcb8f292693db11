"""Code blocks stay readable: every token colour the site uses, light and dark.

The per-page audits (test_every_page.py) leave out the token spans of code
blocks, thousands on the snippet-heavy pages. A token's colour depends only on
its class and the code block's background, so this test gathers every token
class that appears in a code block anywhere in the built site, writes one token
of each into a real code block of a real page (the theme's own wrapper and
styles), and audits that block in the light and the dark scheme. A control
token painted almost in the background's colour proves the audit sees the
tokens.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from hooks.code_tokens import PLAIN_TOKENS
from tests.browser_helpers import axe_serious_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]

BLOCK = re.compile(r'<div class="language-[^"]*\bhighlight\b[^"]*"><pre>(.*?)</pre>', re.S)
TOKEN = re.compile(r'<span class="([^"]+)"')
PROBE = "code-contrast-probe"
CONTROL = {"default": "#eceff1", "slate": "#3b3e50"}
"""A colour a shade off each scheme's code background: the control token."""

WRITE_TOKENS = """
([probe, classes, control]) => {
  const code = document.querySelector(".md-content .highlight code");
  code.closest(".highlight").id = probe;
  code.replaceChildren();
  for (const name of classes) {
    const token = document.createElement("span");
    token.className = name;
    token.textContent = "token_" + name.replace(/\\W+/g, "_");
    code.append(token, "\\n");
  }
  const pale = document.createElement("span");
  pale.className = "n";
  pale.dataset.control = "";
  pale.style.color = control;
  pale.textContent = "control_token";
  code.append(pale, "\\n");
  return [...code.querySelectorAll("span")].map((span) => span.className);
}
"""


def code_token_classes(site_dir: Path) -> tuple[list[str], str]:
    """Every token class used in a code block of the built site, and the page using the most of them.

    The plain tokens (hooks/code_tokens.py) are in the list too: the pages leave
    their spans out, but their colours are still the site's to keep readable.
    """
    found: set[str] = set()
    per_page: Counter[str] = Counter()
    for html in sorted(site_dir.rglob("*.html")):
        text = html.read_text(encoding="utf-8")
        classes = {name for block in BLOCK.findall(text) for name in TOKEN.findall(block)}
        found |= classes
        per_page[html.relative_to(site_dir).parent.as_posix() + "/"] = len(classes)
    richest = per_page.most_common(1)[0][0]
    return sorted(found | set(PLAIN_TOKENS)), "" if richest == "./" else richest


def test_the_token_list_comes_from_the_site(site_dir: Path) -> None:
    classes, page = code_token_classes(site_dir)
    # Python, SQL, JSON and YAML snippets: keywords, strings, numbers, comments.
    assert {"k", "s2", "mi", "c1", *PLAIN_TOKENS} <= set(classes), classes
    assert page and (site_dir / page / "index.html").exists()


TOKEN_COLOURS = """
(classes) => {
  const code = document.querySelector(".md-content .highlight code");
  const colours = {code: getComputedStyle(code).color};
  for (const name of classes) {
    const token = document.createElement("span");
    token.className = name;
    token.textContent = name;
    code.append(token);
    colours[name] = getComputedStyle(token).color;
  }
  return colours;
}
"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_plain_tokens_are_painted_in_the_code_text_colour(page, site_url: str, scheme: str) -> None:
    # Their spans are left out of the pages, so they must look the same with or without them.
    page.emulate_media(color_scheme="dark" if scheme == "slate" else "light")
    page.goto(site_url + "reliability/retry-backoff/", wait_until="load")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
    colours = page.evaluate(TOKEN_COLOURS, [*PLAIN_TOKENS, "ow", "k", "s2"])
    for name in (*PLAIN_TOKENS, "ow"):
        assert colours[name] == colours["code"], (name, colours)
    # Coloured tokens keep their own colours: the probe sees the theme's styles.
    assert colours["k"] != colours["code"] and colours["s2"] != colours["code"], colours


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_every_code_token_colour_is_readable(page, site_dir: Path, site_url: str, scheme: str) -> None:
    classes, richest = code_token_classes(site_dir)
    page.emulate_media(color_scheme="dark" if scheme == "slate" else "light")
    page.goto(site_url + richest, wait_until="load")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
    written = page.evaluate(WRITE_TOKENS, [PROBE, classes, CONTROL[scheme]])
    assert written[: len(classes)] == classes
    found = axe_serious_violations(page, within=f"#{PROBE}")
    assert [v["id"] for v in found] == ["color-contrast"], json.dumps(found, indent=1)
    [nodes] = [v["nodes"] for v in found]
    assert len(nodes) == 1, nodes
    is_control = "(target) => document.querySelector(target).hasAttribute('data-control')"
    assert page.evaluate(is_control, nodes[0][0])
