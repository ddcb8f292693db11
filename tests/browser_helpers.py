"""Helpers for browser tests: Material search and axe-core checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SERIOUS = {"serious", "critical"}
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
"""The hosts the test browser may reach: the test server's."""
WIDGET = "[data-widget]"
"""Selector of the interactive widgets, for audits of one widget's state."""


def search_results(page: Any, site_url: str, query: str, timeout_ms: int = 15000) -> list[str]:
    """Type ``query`` in Material's search box and return the result links in order.

    Material's search reacts to key events, so the query is typed key by key.

    Args:
        page: A Playwright page.
        site_url: Base URL of the served site (ending with ``/``).
        query: What a reader types.
        timeout_ms: How long to wait for the first result.

    Returns:
        Result URLs relative to the site root, without the highlight query
        (``connectors/salesforce/#rate-limits``).
    """
    if not page.url.startswith(site_url):
        page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.wait_for(state="attached")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=timeout_ms)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)"
    )
    results = []
    for href in hrefs:
        path, _, fragment = href.removeprefix(site_url).partition("#")
        path = path.split("?", 1)[0]  # drop Material's ?h= highlight parameter
        results.append(f"{path}#{fragment}" if fragment else path)
    return results


def wait_for_widgets(page: Any) -> None:
    """Wait until every widget on the page has started (``data-widget-ready``).

    A widget that starts when the reader comes near it (``data-widget-waiting``)
    is scrolled to first, as a reader would.
    """
    for waiting in page.locator("[data-widget][data-widget-waiting]").all():
        waiting.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('[data-widget]'))"
        ".every((w) => w.hasAttribute('data-widget-ready'))"
    )


CODE_TOKENS = ".highlight code span"
"""The syntax-highlighting spans of code blocks: a few hundred to a few thousand
per page, and their colours depend only on their token class and the code
block's background (``tests/site/test_code_contrast_browser.py`` audits every
class the site uses, in both schemes)."""


AXE_URL_PATH = "/__tests__/axe.min.js"
"""Where the test server serves axe-core (``tests/conftest.py``), beside the built site."""


def axe_source() -> Path:
    """The axe-core script that ships with axe-playwright-python."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


def load_axe(page: Any) -> None:
    """Load axe-core into the page once.

    On a page of the test server it is loaded as a script from that server, so
    the browser's cache and compiled-code cache serve it from the second audit
    on; elsewhere (``page.set_content``) its source is evaluated.
    """
    if page.evaluate("typeof window.axe === 'object'"):
        return
    origin = urlsplit(page.url)
    if origin.scheme in ("http", "https") and origin.hostname in LOCAL_HOSTS:
        page.add_script_tag(url=f"{origin.scheme}://{origin.netloc}{AXE_URL_PATH}")
    else:
        page.evaluate(axe_source().read_text(encoding="utf-8"))


def axe_serious_violations(
    page: Any, within: str | None = None, *, skip_code_tokens: bool = False
) -> list[dict[str, Any]]:
    """Run axe-core on the current page; return violations of serious or critical impact.

    The theme's chrome (header, navigation, footer) is the same on every page;
    a test about one page's content or one widget's state passes ``within`` so
    axe audits that part (colours are still computed against the whole page).

    Args:
        page: A Playwright page, already loaded.
        within: CSS selector of the part to audit; the whole page when omitted.
        skip_code_tokens: Leave out the token spans of code blocks (see
            :data:`CODE_TOKENS`); the code blocks themselves, their buttons and
            scroll boxes are still audited.

    Returns:
        The violations (id, impact, help, and the first offending nodes).
    """
    # No page uses `content-visibility: auto` today; should one, its off-screen
    # parts would not be painted, and axe cannot read colours it cannot see.
    # Render everything as a reader scrolling the page would, then audit.
    page.add_style_tag(content="* { content-visibility: visible !important; }")
    # Only violations are read: axe then stops collecting every passing node
    # (a quarter to a third of an audit's time on the long data pages).
    context: Any = within
    if skip_code_tokens:
        context = {"include": [[within or "html"]], "exclude": [[CODE_TOKENS]]}
    load_axe(page)
    results = page.evaluate(
        "([context, options]) => axe.run(context || document, options)",
        [context, {"resultTypes": ["violations"]}],
    )
    found = []
    for violation in results.get("violations", []):
        if violation.get("impact") in SERIOUS:
            found.append(
                {
                    "id": violation["id"],
                    "impact": violation["impact"],
                    "help": violation["help"],
                    "nodes": [n.get("target") for n in violation.get("nodes", [])[:5]],
                }
            )
    return found


DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
"""Browser context options for the two screens the widget tests cover."""


def new_context(browser: Any, screen: str = "desktop", *, dark: bool = False) -> Any:
    """A fresh browser context for a desktop (1280 px) or phone (390 px) screen.

    Requests to hosts other than 127.0.0.1 fail, as everywhere in the test
    browser (see ``CHROMIUM_ARGS`` in ``tests/conftest.py``).

    Args:
        browser: The Playwright browser.
        screen: ``"desktop"`` or ``"phone"``.
        dark: Ask for the dark colour scheme (the theme's ``slate`` palette
            follows ``prefers-color-scheme``; see :func:`use_dark_scheme`).

    Returns:
        A Playwright browser context; close it when done.
    """
    options = dict(PHONE if screen == "phone" else DESKTOP)
    return browser.new_context(**options, color_scheme="dark" if dark else "light", service_workers="block")


def printed_pages(pdf: bytes) -> int:
    """How many pages a PDF made by ``page.pdf()`` has."""
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def use_dark_scheme(page: Any) -> None:
    """Make sure the page shows the theme's dark (``slate``) scheme.

    The context asks for a dark colour scheme; should a stored choice or the
    palette's order still show the light one, switch the scheme attribute the
    theme's stylesheets key on.
    """
    page.evaluate(
        """() => {
            const name = "data-md-color-scheme";
            for (const node of [document.body, document.documentElement]) {
                if (node.hasAttribute(name)) node.setAttribute(name, "slate");
            }
            document.body.setAttribute(name, "slate");
        }"""
    )


VISIBILITY_JS = """(selector) => {
    const target = document.querySelector(selector);
    if (!target) return null;
    const r = target.getBoundingClientRect();
    const header = document.querySelector(".md-header");
    const headerBottom = header && ["sticky", "fixed"].includes(getComputedStyle(header).position)
        ? header.getBoundingClientRect().bottom : 0;
    // The part of the target not clipped by the viewport or any scroll box.
    let clip = {top: headerBottom, left: 0, bottom: innerHeight, right: document.documentElement.clientWidth};
    for (let node = target.parentElement; node && node !== document.body; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (/(auto|scroll|hidden)/.test(style.overflowX + style.overflowY)) {
            const b = node.getBoundingClientRect();
            clip = {top: Math.max(clip.top, b.top), left: Math.max(clip.left, b.left),
                    bottom: Math.min(clip.bottom, b.bottom), right: Math.min(clip.right, b.right)};
        }
    }
    const seen = {top: Math.max(r.top, clip.top), left: Math.max(r.left, clip.left),
                  bottom: Math.min(r.bottom, clip.bottom), right: Math.min(r.right, clip.right)};
    // Whatever covers the visible part (a sticky header row or column) shows up here.
    const inset = 3;
    const points = [];
    if (seen.bottom - seen.top > 2 * inset && seen.right - seen.left > 2 * inset) {
        const midX = (seen.left + seen.right) / 2;
        const midY = (seen.top + seen.bottom) / 2;
        points.push([seen.left + inset, seen.top + inset], [midX, midY]);
        points.push([seen.right - inset, seen.top + inset], [seen.left + inset, seen.bottom - inset]);
    }
    const covered = points.filter(([x, y]) => {
        const hit = document.elementFromPoint(x, y);
        return !(hit && (hit === target || target.contains(hit)));
    }).length;
    const page = document.scrollingElement;
    return {
        tag: target.tagName, top: r.top, bottom: r.bottom, left: r.left, right: r.right,
        height: r.height, width: r.width, headerBottom, clipTop: clip.top, clipBottom: clip.bottom,
        clipLeft: clip.left, clipRight: clip.right, seenHeight: Math.max(0, seen.bottom - seen.top),
        seenWidth: Math.max(0, seen.right - seen.left), covered, points: points.length,
        atBottom: page.scrollTop + innerHeight >= page.scrollHeight - 2,
    };
}"""


def follow_in_site(page: Any, href: str) -> None:
    """Follow a link to ``href`` from the current page the way a reader does.

    The link is put at the top of the page's article and clicked, so the
    theme's in-site navigation fetches the target page and swaps it in.
    """
    page.evaluate(
        """([href]) => {
            const link = document.createElement("a");
            link.href = href;
            link.id = "ip-test-link";
            link.textContent = "Go";
            document.querySelector("article").prepend(link);
        }""",
        [href],
    )
    page.locator("#ip-test-link").click()


def landing_problems(page: Any, selector: str) -> list[str]:
    """Why the element ``selector`` is not fully visible below the sticky header.

    Fully visible means: not under the theme's header, not clipped by the
    viewport or a scroll box around it (horizontally too, except a table row,
    which may be wider than its box: its start must show), not covered by a
    sticky header row or column, and brought near the top of the screen (a
    link that leaves the reader far above or below its target has not landed).

    Args:
        page: A Playwright page showing the target.
        selector: CSS selector of the link target.

    Returns:
        Problems found; empty when the target is in view.
    """
    box = page.evaluate(VISIBILITY_JS, selector)
    if box is None:
        return [f"{selector} is not on the page"]
    problems = []
    room = box["clipBottom"] - box["clipTop"]
    if box["top"] < box["headerBottom"] - 1:
        problems.append(f"top {box['top']:.0f} is under the header (bottom {box['headerBottom']:.0f})")
    # A target taller than the screen fills it from just below the header.
    if box["seenHeight"] < (box["height"] - 1 if box["height"] <= room else room - 60):
        problems.append(f"only {box['seenHeight']:.0f} of {box['height']:.0f} px high is visible")
    wide_ok = box["tag"] == "TR" or box["width"] > box["clipRight"] - box["clipLeft"]
    if not wide_ok and box["seenWidth"] < box["width"] - 1:
        problems.append(f"only {box['seenWidth']:.0f} of {box['width']:.0f} px wide is visible")
    if box["tag"] == "TR" and box["left"] < box["clipLeft"] - 1:
        problems.append("the row's start is scrolled out of its box")
    if box["covered"] or not box["points"]:
        problems.append(f"{box['covered']} of {box['points']} sample points are covered")
    if box["top"] - box["headerBottom"] > 220 and not box["atBottom"]:
        below = box["top"] - box["headerBottom"]
        problems.append(f"target is {below:.0f} px below the header, not at the top")
    return problems


def target_position(page: Any, fragment: str, timeout_ms: int = 10000) -> dict[str, float]:
    """Wait until the page has scrolled to ``#fragment`` and settled; return where it is.

    Args:
        page: A Playwright page.
        fragment: The anchor's id, without ``#``.
        timeout_ms: How long to wait for the scroll position to stop changing.

    Returns:
        The target's ``top`` and ``bottom`` in the viewport, the sticky header's
        ``header`` bottom edge and the viewport ``height``.
    """
    page.wait_for_function(
        """([id]) => {
            const el = document.getElementById(id);
            if (!el) return false;
            const now = Math.round(el.getBoundingClientRect().top) + ":" + Math.round(scrollY);
            const same = window.__ipLastPosition === now;
            window.__ipLastPosition = now;
            return same;
        }""",
        arg=[fragment],
        polling=150,
        timeout=timeout_ms,
    )
    return page.evaluate(
        """([id]) => {
            const box = document.getElementById(id).getBoundingClientRect();
            const header = document.querySelector(".md-header").getBoundingClientRect();
            return {top: box.top, bottom: box.bottom, header: header.bottom, height: innerHeight};
        }""",
        [fragment],
    )


def assert_landed(page: Any, fragment: str) -> None:
    """Assert ``#fragment`` is fully visible below the sticky header."""
    where = target_position(page, fragment)
    assert where["top"] >= where["header"] - 1, f"#{fragment} is under the header: {where}"
    assert where["bottom"] <= where["height"] + 1, f"#{fragment} is below the screen: {where}"
