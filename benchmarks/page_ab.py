"""Before and after: one change's effect on pages, measured in the same rounds.

Between two full runs of page_budget.py the machine's speed can move a page's
figures by 20 % or more, which hides a change of that size. This script builds
the site at two commits (``--before`` and ``--after``, the work tree by
default) and the theme floor, then loads each page in rounds: the floor, the
page before, the page after, each in a fresh phone context with the 4x CPU
throttle of page_budget.py. It prints the medians of first contentful paint and
long-task time, and the change from before to after.

Usage: python benchmarks/page_ab.py --before REF [--after REF] [--runs 9] path/ [path/ ...]
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lighthouse import ROOT, build, host  # noqa: E402
from page_budget import Load, build_floor, launch, measure  # noqa: E402

SIDES = ("floor", "before", "after")


def export(ref: str, into: Path) -> Path:
    """Write the tree of commit ``ref`` into ``into`` (no .git); return it."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def medians(loads: list[Load]) -> tuple[float, float]:
    """Median first contentful paint and long-task time (ms) of some loads."""
    return statistics.median(x.fcp_ms for x in loads), statistics.median(x.long_task_ms for x in loads)


def change(before: float, after: float) -> str:
    """``after`` against ``before`` as a signed percentage ("-12 %"); "n/a" without a base."""
    if before <= 0:
        return "n/a"
    return f"{(after - before) / before * 100:+.0f} %"


def report(path: str, loads: dict[str, list[Load]]) -> str:
    """A Markdown table for one page: the floor, before and after, with the change."""
    floor_fcp, floor_lt = medians(loads["floor"])
    rows = [
        f"### {path or 'home'} ({len(loads['floor'])} rounds)",
        "",
        "| | FCP ms | × floor | long tasks ms | × floor | elements |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for side in SIDES:
        fcp, long_tasks = medians(loads[side])
        elements = int(statistics.median(x.elements for x in loads[side]))
        rows.append(
            f"| {side} | {fcp:.0f} | {fcp / floor_fcp:.2f} | {long_tasks:.0f} | "
            f"{long_tasks / max(floor_lt, 1.0):.2f} | {elements} |"
        )
    (b_fcp, b_lt), (a_fcp, a_lt) = medians(loads["before"]), medians(loads["after"])
    rows.append(f"| change | {change(b_fcp, a_fcp)} | | {change(b_lt, a_lt)} | | |")
    return "\n".join(rows)


def rounds(browser: Any, urls: dict[str, str], runs: int) -> dict[str, list[Load]]:
    """Load the floor, the page before and the page after once per round."""
    loads: dict[str, list[Load]] = {side: [] for side in SIDES}
    for _ in range(runs):
        for side in SIDES:
            loads[side].append(measure(browser, urls[side]))
    return loads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="site paths, e.g. connectors/salesforce/ ('' is home)")
    parser.add_argument("--before", required=True, help="the commit before the change")
    parser.add_argument("--after", help="the commit after it (default: the work tree)")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sites = {}
        for side, ref in (("before", args.before), ("after", args.after)):
            source = export(ref, work / f"{side}-src") if ref else ROOT
            sites[side] = work / f"{side}-site"
            build(source, sites[side])
        sites["floor"] = build_floor(work)
        hosts = {side: host(folder) for side, folder in sites.items()}
        sections = []
        with sync_playwright() as playwright:
            browser = launch(playwright)
            machine = f"Chromium {browser.version}"
            for path in args.paths:
                urls = {side: hosts[side][0] + ("" if side == "floor" else path) for side in SIDES}
                sections.append(report(path, rounds(browser, urls, args.runs)))
            browser.close()
        for _, served in hosts.values():
            served.shutdown()
    after = args.after or "the work tree"
    print(f"Before `{args.before}`, after `{after}`; {machine}, phone, 4x CPU throttle, medians.\n")
    print("\n\n".join(sections))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
