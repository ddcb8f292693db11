"""Drive the theme's search box in a browser and read its results as groups."""

from __future__ import annotations

from typing import Any

from tests.search.evaluation_set import Group

# Records when the reader last pressed a key and when the result list last
# changed, so the time from keystroke to rendered results can be read back.
TIMING = """
() => {
  if (window.__searchTiming) return;
  window.__searchTiming = { key: 0, render: 0 };
  const box = document.querySelector("input.md-search__input");
  box.addEventListener("keyup", () => { window.__searchTiming.key = performance.now(); });
  // The whole result area: the theme rewrites the count line on every answer,
  // also when the list stays empty.
  const results = document.querySelector(".md-search-result");
  new MutationObserver(() => { window.__searchTiming.render = performance.now(); })
    .observe(results, { childList: true, subtree: true, characterData: true });
}
"""

# The results are settled when an answer was rendered after the last key press,
# nothing changed for a while since, and the meta line is not the placeholder.
SETTLED = """
([quiet, placeholder]) => {
  const t = window.__searchTiming;
  const meta = document.querySelector(".md-search-result__meta").textContent.trim();
  if (meta === placeholder) return false;
  return t.render > t.key && performance.now() - t.render > quiet;
}
"""

GROUPS = """
(base) => [...document.querySelectorAll(".md-search-result__item")].map((item) => {
  const links = [...item.querySelectorAll(":scope > a.md-search-result__link")]
    .map((a) => new URL(a.getAttribute("href"), document.baseURI).href.replace(base, ""))
    .map((href) => href.replace(/\\?[^#]*/, ""));
  const page = links.find((href) => !href.includes("#")) || links[0].split("#")[0];
  return { page, anchors: links.filter((href) => href.includes("#")).map((href) => href.split("#")[1]) };
})
"""

PLACEHOLDER = "Type to start searching"


def open_search(page: Any, key: str = "/") -> Any:
    """Open the search box with a keyboard shortcut (``/`` or ``s``) and return the input."""
    page.keyboard.press(key)
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    page.evaluate(TIMING)
    return box


def search_groups(
    page: Any,
    site_url: str,
    query: str,
    quiet_ms: int = 150,
    every_key: bool = True,
    key_delay_ms: int = 5,
) -> tuple[list[Group], float]:
    """Type ``query`` into the open search box; return the groups shown and the ms from last key to render.

    With ``every_key`` false, all but the last character replace the old query
    at once and only the last is typed: the theme searches on key-up, so that
    is one search instead of one per character (as fast typing or a paste gives).
    """
    box = page.locator("input.md-search__input")
    if every_key:
        box.press("Control+a")
        box.press("Backspace")
        page.wait_for_function(
            "(p) => document.querySelector('.md-search-result__meta').textContent.trim() === p",
            arg=PLACEHOLDER,
        )
        box.press_sequentially(query, delay=key_delay_ms)
    else:
        # Filling replaces the old query without a key-up, so the last key typed
        # is the only search.
        box.fill(query[:-1])
        box.press_sequentially(query[-1:])
    page.wait_for_function(SETTLED, arg=[quiet_ms, PLACEHOLDER], polling=50, timeout=15000)
    raw, timing = page.evaluate(
        f"(base) => [({GROUPS})(base), window.__searchTiming.render - window.__searchTiming.key]", site_url
    )
    return [Group(g["page"], tuple(g["anchors"])) for g in raw], timing
