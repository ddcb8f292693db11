"""Whose CSS rules a page's style work is spent on: the theme's or this site's.

Every whole-page restyle (see restyles.py) matches each styled element against
the rules of every stylesheet. Chromium can record, per selector, how long that
matching took (its "selector statistics", the trace category DevTools turns on
with "Enable CSS selector stats"). This script loads pages on a phone with a 4x
CPU throttle, records those statistics, and adds the time up by where each
selector is written: only in the theme's stylesheets, only in ours
(``site.css`` and the mkdocstrings stylesheet), in both (``td``, ``:root``), or
in neither (the browser's own stylesheet). Recording the statistics slows the
matching down several times, so the milliseconds are only good for shares.

Usage: python benchmarks/selector_cost.py [--site-dir DIR] [--top 10] path/ [path/ ...]

Without --site-dir the site is built first.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lighthouse import host, site_to_measure  # noqa: E402
from page_budget import launch  # noqa: E402
from restyles import trace_once  # noqa: E402

CATEGORIES = ["devtools.timeline", "disabled-by-default-blink.debug"]
OURS = ("assets/stylesheets/site.css", "assets/_mkdocstrings.css")
"""Our stylesheets in the built site; the theme's are ``assets/stylesheets/*.min.css``."""

BUCKETS = ("theme", "ours", "both", "browser")


def canonical(selector: str) -> str:
    """A selector in one spelling, so that the minified sheet's and Chromium's compare equal.

    Chromium prints ``a > b``, ``[x="y"]`` and ``::before``; a minifier writes
    ``a>b``, ``[x=y]`` and sometimes ``:before``. The result is a key, not CSS.
    """
    text = " ".join(selector.split())
    text = re.sub(r"\s*([>+~,()])\s*", r"\1", text)
    text = re.sub(r"""\[([^\]=]+)=(["']?)([^\]"']*)\2\]""", r"[\1=\3]", text)
    return re.sub(r"(?<!:):(before|after|first-line|first-letter)\b", r"::\1", text)


def selectors(css: str) -> set[str]:
    """Every selector of a stylesheet, in :func:`canonical` spelling (at-rule preludes left out)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = set()
    for prelude in re.findall(r"([^{}]+)\{", css):
        if prelude.strip().startswith("@"):
            continue
        for selector in re.split(r",(?![^(]*\))", prelude):
            if selector.strip():
                found.add(canonical(selector))
    return found


@dataclass(frozen=True)
class Share:
    """Matching time of one bucket of selectors."""

    bucket: str
    elapsed_us: float
    selectors: int


def attribute(
    events: list[dict[str, Any]], theme: set[str], ours: set[str]
) -> tuple[list[Share], list[tuple[float, str, str]]]:
    """Add the selector statistics of a trace up by where each selector is written.

    Args:
        events: The trace's events (``SelectorStats`` ones are read).
        theme: Selectors of the theme's stylesheets.
        ours: Selectors of this site's stylesheets.

    Returns:
        One :class:`Share` per bucket (theme, ours, both, browser), and every
        selector as ``(elapsed µs, bucket, selector)``, costliest first.
    """
    elapsed: dict[str, float] = defaultdict(float)
    shown: dict[str, str] = {}  # canonical key -> the selector as Chromium first printed it
    for event in events:
        if event.get("name") != "SelectorStats":
            continue
        for timing in event.get("args", {}).get("selector_stats", {}).get("selector_timings", []):
            printed = str(timing.get("selector", ""))
            key = canonical(printed)
            shown.setdefault(key, printed)
            elapsed[key] += float(timing.get("elapsed (us)", 0))
    ranked = []
    for key, us in elapsed.items():
        selector = shown[key]
        in_theme, in_ours = key in theme, key in ours
        bucket = "both" if in_theme and in_ours else "theme" if in_theme else "ours" if in_ours else "browser"
        ranked.append((us, bucket, selector))
    ranked.sort(reverse=True)
    shares = [
        Share(
            b,
            sum(us for us, bucket, _ in ranked if bucket == b),
            sum(1 for _, bucket, _ in ranked if bucket == b),
        )
        for b in BUCKETS
    ]
    return shares, ranked


def stylesheets(site_dir: Path) -> tuple[set[str], set[str]]:
    """Selectors of the theme's stylesheets and of ours, read from a built site."""
    theme: set[str] = set()
    for sheet in sorted((site_dir / "assets/stylesheets").glob("*.min.css")):
        theme |= selectors(sheet.read_text(encoding="utf-8"))
    ours: set[str] = set()
    for name in OURS:
        if (site_dir / name).exists():
            ours |= selectors((site_dir / name).read_text(encoding="utf-8"))
    return theme, ours


def report(label: str, shares: list[Share], ranked: list[tuple[float, str, str]], top: int) -> str:
    """A Markdown section for one page."""
    total = sum(s.elapsed_us for s in shares) or 1.0
    lines = [
        f"### {label}",
        "",
        "| selectors written in | share of matching time | selectors |",
        "|---|---:|---:|",
    ]
    lines += [f"| {s.bucket} | {100 * s.elapsed_us / total:.0f} % | {s.selectors} |" for s in shares]
    lines += ["", f"Costliest {top}:", "", "| share | where | selector |", "|---:|---|---|"]
    lines += [f"| {100 * us / total:.1f} % | {bucket} | `{sel}` |" for us, bucket, sel in ranked[:top]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="site paths, e.g. ipaas/comparison-matrix/ ('' is home)")
    parser.add_argument("--site-dir", type=Path, help="a built site (default: build this one)")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site_dir = site_to_measure(args.site_dir, work)
        theme, ours = stylesheets(site_dir)
        url, served = host(site_dir)
        sections = []
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for path in args.paths:
                events, _ = trace_once(browser, url + path, work / "trace.json", CATEGORIES)
                shares, ranked = attribute(events, theme, ours)
                sections.append(report(path or "home", shares, ranked, args.top))
            browser.close()
        served.shutdown()
    print("\n\n".join(sections))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
