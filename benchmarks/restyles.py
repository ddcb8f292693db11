"""Whole-page style recalculations during a page's start-up, and what forced each one.

A page's long-task time grows with its element count mostly through style
recalculations that touch (nearly) every element: the first render, and each
time a start-up script changes something that invalidates the whole page (an
attribute on <body>, say) and then reads a size or a computed style. This
script loads pages on a phone with a 4x CPU throttle, records Chromium's trace,
and lists every style recalculation that covered at least half of the page's
styled elements (those not inside a hidden part): when it ran, how long it
took, how many elements it styled, and the script function that forced it
(mapped through the theme bundle's source map to the theme's source file, when
Node and the ``source-map`` package in benchmarks/node_modules are there).

Usage: python benchmarks/restyles.py [--site-dir DIR] [--runs 3] [--floors] path/ [path/ ...]

Without --site-dir the site is built first. With --floors the two one-page
floors of page_budget.py are measured first: the default Material page, and the
same page with this site's palette toggle. Of the runs, the one with the median
total is printed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lighthouse import BENCH, host, site_to_measure  # noqa: E402
from page_budget import (  # noqa: E402
    SETTLE_MS,
    WIDGETS_READY,
    build_floor,
    launch,
    palette_floor_config,
    phone_context,
    site_palette,
    throttle,
)

CATEGORIES = [
    "devtools.timeline",
    "loading",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.stack",
]
WHOLE_PAGE_SHARE = 0.5
"""A recalculation styling at least this share of the page's styled elements counts as whole-page."""

STYLED = """[...document.body.getElementsByTagName('*')]
  .filter((e) => e.parentElement.checkVisibility()).length + 2"""
"""The elements a restyle of the whole page styles: <html>, <body> and every element
whose parent is rendered. The inside of a hidden part (``display: none``, a closed
``<details>``) is skipped by the browser, so a page that folds content is measured
against what it shows, not against its whole DOM."""

MAP_SCRIPT = """
const fs = require("fs");
const {SourceMapConsumer} = require("source-map");
const [mapFile, ...positions] = process.argv.slice(1);
const consumer = new SourceMapConsumer(JSON.parse(fs.readFileSync(mapFile, "utf8")));
const out = positions.map((position) => {
  const [line, column] = position.split(":").map(Number);
  const found = consumer.originalPositionFor({line, column});
  return found.source ? found.source.replace(/^.*?src\\//, "") + ":" + found.line : null;
});
process.stdout.write(JSON.stringify(out));
"""


@dataclass(frozen=True)
class Restyle:
    """One style recalculation in the trace."""

    start_ms: float
    duration_ms: float
    elements: int
    forced_by: str
    """``function@script:line:column`` of the innermost frame, or "" for a rendering update."""


def main_thread(events: list[dict[str, Any]]) -> tuple[int, int, float]:
    """The page's renderer main thread (pid, tid) and the start of its first parse (µs)."""
    paints = [e for e in events if e.get("name") == "firstContentfulPaint"]
    if not paints:
        raise ValueError("the trace has no first contentful paint")
    pid = paints[-1]["pid"]
    [tid] = {
        e["tid"]
        for e in events
        if e.get("name") == "thread_name" and e["pid"] == pid and e["args"].get("name") == "CrRendererMain"
    }
    mine = [e for e in events if e.get("pid") == pid and e.get("tid") == tid]
    return pid, tid, min(e["ts"] for e in mine if e.get("name") == "ParseHTML")


def restyles(events: list[dict[str, Any]], page_elements: int) -> list[Restyle]:
    """Every whole-page style recalculation of the page's main thread, in order.

    Args:
        events: The trace's events.
        page_elements: The page's styled element count after start-up (``STYLED``).

    Returns:
        The recalculations that styled at least ``WHOLE_PAGE_SHARE`` of the elements.
    """
    pid, tid, start = main_thread(events)
    found = []
    for event in sorted(events, key=lambda e: e.get("ts", 0)):
        if event.get("name") != "UpdateLayoutTree" or event.get("ph") != "X":
            continue
        if event.get("pid") != pid or event.get("tid") != tid:
            continue
        args = event.get("args", {})
        count = int(args.get("elementCount") or 0)
        if count < WHOLE_PAGE_SHARE * page_elements:
            continue
        stack = (args.get("beginData") or {}).get("stackTrace") or []
        frame = stack[0] if stack else {}
        forced = (
            f"{frame.get('functionName') or '(anonymous)'}@{frame.get('url', '').rsplit('/', 1)[-1]}"
            f":{frame.get('lineNumber')}:{frame.get('columnNumber')}"
            if frame
            else ""
        )
        found.append(Restyle((event["ts"] - start) / 1000, event.get("dur", 0) / 1000, count, forced))
    return found


def theme_sources(forced: list[str], site_dir: Path) -> dict[str, str]:
    """Map ``name@bundle.*.js:line:col`` frames to the theme's source file and line, where possible."""
    node = shutil.which("node")
    maps = sorted((site_dir / "assets/javascripts").glob("bundle.*.min.js.map"))
    wanted = [f for f in forced if "@bundle." in f]
    if not (node and maps and wanted and (BENCH / "node_modules/source-map").is_dir()):
        return {}
    positions = [f.rsplit(":", 2)[-2] + ":" + f.rsplit(":", 1)[-1] for f in wanted]
    result = subprocess.run(
        [node, "-e", MAP_SCRIPT, str(maps[0]), *positions],
        capture_output=True,
        text=True,
        cwd=BENCH,
        check=False,
    )
    if result.returncode != 0:
        return {}
    return {frame: source for frame, source in zip(wanted, json.loads(result.stdout), strict=True) if source}


def trace_once(
    browser: Any, url: str, out: Path, categories: list[str] = CATEGORIES
) -> tuple[list[dict[str, Any]], int]:
    """One cold load of ``url`` with tracing, as page_budget.py loads a page for its timings.

    Args:
        browser: A Playwright browser.
        url: The page to load.
        out: Where Chromium writes the trace.
        categories: The trace categories to record.

    Returns:
        The trace's events and the page's styled element count after start-up
        (``STYLED``).
    """
    context = phone_context(browser)
    page = context.new_page()
    throttle(context, page)
    browser.start_tracing(page=page, path=str(out), categories=categories)
    page.goto(url, wait_until="load")
    page.wait_for_function(WIDGETS_READY)
    page.wait_for_timeout(SETTLE_MS)
    elements = page.evaluate(STYLED)
    browser.stop_tracing()
    context.close()
    return json.loads(out.read_text(encoding="utf-8"))["traceEvents"], elements


def report(label: str, found: list[Restyle], elements: int, sources: dict[str, str]) -> str:
    """A Markdown section for one page."""
    total = sum(r.duration_ms for r in found)
    lines = [
        f"### {label}: {len(found)} whole-page restyles, {total:.0f} ms ({elements} styled elements)",
        "",
        "| at ms | ms | elements | forced by |",
        "|---:|---:|---:|---|",
    ]
    for r in found:
        where = sources.get(r.forced_by, "")
        by = f"`{r.forced_by}`" + (f" ({where})" if where else "") if r.forced_by else "rendering update"
        lines.append(f"| {r.start_ms:.0f} | {r.duration_ms:.1f} | {r.elements} | {by} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="site paths, e.g. reliability/retry-backoff/ ('' is home)")
    parser.add_argument("--site-dir", type=Path, help="a built site (default: build this one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--floors", action="store_true", help="measure the two one-page floors first")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site_dir = site_to_measure(args.site_dir, work)
        targets = []  # (label, site folder, path)
        if args.floors:
            targets.append(("theme floor", build_floor(work), ""))
            palette = build_floor(work, palette_floor_config(site_palette()), "palette-floor")
            targets.append(("theme floor + this site's palette", palette, ""))
        targets += [(path or "home", site_dir, path) for path in args.paths]
        hosts = {folder: host(folder) for folder in {folder for _, folder, _ in targets}}
        sections = []
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for label, folder, path in targets:
                runs = []
                for run in range(args.runs):
                    trace_file = work / f"trace-{run}.json"
                    events, elements = trace_once(browser, hosts[folder][0] + path, trace_file)
                    found = restyles(events, elements)
                    runs.append((sum(r.duration_ms for r in found), found, elements))
                middle = statistics.median_low([total for total, _, _ in runs])
                _, found, elements = next(r for r in runs if r[0] == middle)
                sources = theme_sources([r.forced_by for r in found], folder)
                sections.append(report(label, found, elements, sources))
            browser.close()
        for _, served in hosts.values():
            served.shutdown()
    print("\n\n".join(sections))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
