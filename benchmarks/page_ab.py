"""Before and after: one change's effect on pages, measured in the same rounds.

Between two full runs of page_budget.py the machine's speed can move a page's
figures by 20 % or more, which hides a change of that size. This script builds
the site at two commits (``--before`` and ``--after``, the work tree by
default) and the theme floor, then loads each page in rounds: the floor, the
page before, the page after, each in a fresh phone context with the 4x CPU
throttle of page_budget.py (its ``measure_rounds``). It prints the medians of
first contentful paint and long-task time, and the change from before to after.

Usage: python benchmarks/page_ab.py --before REF [--after REF] [--runs 9] path/ [path/ ...]
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lighthouse import ROOT, build, host  # noqa: E402
from page_budget import Load, build_floor, floor_divisor, launch, measure_rounds  # noqa: E402


def export(ref: str, into: Path) -> Path:
    """Write the tree of commit ``ref`` into ``into`` (no .git); return it."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def change(before: float, after: float) -> str:
    """``after`` against ``before`` as a signed percentage ("-12 %"); "n/a" without a base."""
    if before <= 0:
        return "n/a"
    return f"{(after - before) / before * 100:+.0f} %"


def report(path: str, runs: int, floor: Load, pages: dict[str, Load]) -> str:
    """A Markdown table for one page: the floor's, before and after medians, with the change."""
    rows = [
        f"### {path or 'home'} ({runs} rounds)",
        "",
        "| | FCP ms | × floor | long tasks ms | × floor | elements |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    floor_tasks = floor_divisor("long_task_ms", floor.long_task_ms)
    for side, load in (("floor", floor), ("before", pages["before"]), ("after", pages["after"])):
        rows.append(
            f"| {side} | {load.fcp_ms:.0f} | {load.fcp_ms / floor.fcp_ms:.2f} | {load.long_task_ms:.0f} | "
            f"{load.long_task_ms / floor_tasks:.2f} | {load.elements} |"
        )
    before, after = pages["before"], pages["after"]
    rows.append(
        f"| change | {change(before.fcp_ms, after.fcp_ms)} | | "
        f"{change(before.long_task_ms, after.long_task_ms)} | | |"
    )
    return "\n".join(rows)


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
                urls = {side: hosts[side][0] + path for side in ("before", "after")}
                floor, pages = measure_rounds(browser, hosts["floor"][0], urls, args.runs)
                sections.append(report(path, args.runs, floor, pages))
            browser.close()
        for _, served in hosts.values():
            served.shutdown()
    after = args.after or "the work tree"
    print(f"Before `{args.before}`, after `{after}`; {machine}, phone, 4x CPU throttle, medians.\n")
    print("\n\n".join(sections))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
