"""Main-thread cost of loading our page templates, as Chromium counts it.

Lighthouse's mobile score turns main-thread work into Total Blocking Time and,
when the content is painted late, into Largest Contentful Paint, but a single
run is noisy. This script loads each page several times in Debian's Chromium
(mobile viewport, no throttling) and prints the medians of Chromium's own
counters: total task time, style recalculation, layout and script time, how
many style and layout passes ran, and the element count. Use it to compare two
versions of a page before running benchmarks/lighthouse.py.

Usage: python benchmarks/page_cost.py [--runs 9] [--site DIR] [path/ ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lighthouse import CHROME, PLAYWRIGHT_FLAGS, TEMPLATES, serve, site_to_measure  # noqa: E402

COUNTERS = (
    "TaskDuration",
    "RecalcStyleDuration",
    "LayoutDuration",
    "ScriptDuration",
    "RecalcStyleCount",
    "LayoutCount",
)


def measure(url: str, runs: int) -> dict[str, float]:
    """Median of Chromium's performance counters over `runs` cold loads of `url`."""
    from playwright.sync_api import sync_playwright

    samples: dict[str, list[float]] = {name: [] for name in (*COUNTERS, "Elements")}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROME, args=PLAYWRIGHT_FLAGS)
        try:
            for _ in range(runs):
                context = browser.new_context(
                    viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True
                )
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Performance.enable")
                page.goto(url, wait_until="load")
                page.wait_for_timeout(1500)
                metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
                for name in COUNTERS:
                    samples[name].append(metrics[name])
                samples["Elements"].append(page.evaluate("document.getElementsByTagName('*').length"))
                context.close()
        finally:
            browser.close()
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("pages", nargs="*", help="site paths (default: every page template)")
    args = parser.parse_args()
    pages = args.pages or list(TEMPLATES.values())

    with tempfile.TemporaryDirectory() as tmp:
        site = site_to_measure(args.site, Path(tmp))
        base, server = serve(site)
        print("| page | task ms | style ms | layout ms | script ms | style passes | layouts | elements |")
        print("|---|---|---|---|---|---|---|---|")
        try:
            for path in pages:
                m = measure(base + path, args.runs)
                ms = [m[name] * 1000 for name in COUNTERS[:4]]
                counts = [m["RecalcStyleCount"], m["LayoutCount"], m["Elements"]]
                cells = [f"{v:.0f}" for v in (*ms, *counts)]
                print(f"| {path or '/'} | " + " | ".join(cells) + " |")
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
