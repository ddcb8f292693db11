"""Where the test suite's time goes: worker seconds per test file and the slowest tests.

Reads the JUnit XML report that pytest writes with ``--junitxml`` (each test's
time there includes its fixtures' setup and teardown, so the one-off site build
is charged to the first test that needed it). With pytest-xdist the workers run
in parallel: the sum of test times is worker seconds, and the run's wall time is
close to that sum divided by the number of workers when none of them waits.

Usage::

    .venv/bin/python -m pytest -n 2 --junitxml=suite.xml
    .venv/bin/python benchmarks/suite_time.py suite.xml [--top 20] [--workers 2]
"""

from __future__ import annotations

import argparse
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TestTime:
    """One test case of the report: its file, its name and its time in seconds."""

    file: str
    name: str
    seconds: float


def read_report(path: Path) -> list[TestTime]:
    """Test cases of a JUnit XML report written by pytest."""
    cases = []
    for case in ET.parse(path).iter("testcase"):
        module = case.get("classname", "")
        # pytest names a case "tests.site.test_x" (a function) or "tests.site.test_x.TestClass".
        parts = module.split(".")
        while parts and not parts[-1].startswith("test_"):
            parts.pop()
        file = "/".join(parts) + ".py" if parts else module
        cases.append(TestTime(file, case.get("name", ""), float(case.get("time", 0))))
    return cases


def by_file(cases: list[TestTime]) -> list[tuple[str, int, float]]:
    """(file, number of tests, seconds) per test file, the costliest first."""
    seconds: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for case in cases:
        seconds[case.file] += case.seconds
        counts[case.file] += 1
    return [(name, counts[name], total) for name, total in seconds.most_common()]


def report(cases: list[TestTime], top: int, workers: int) -> str:
    """Markdown tables: totals, seconds per file, and the slowest tests."""
    total = sum(case.seconds for case in cases)
    lines = [
        f"{len(cases)} tests, {total:.0f} worker seconds; "
        f"{total / workers:.0f} s of wall time at best on {workers} workers.",
        "",
        "| test file | tests | worker s | share |",
        "|---|---:|---:|---:|",
    ]
    for name, count, seconds in by_file(cases):
        if seconds < total * 0.005:
            break
        lines.append(f"| {name} | {count} | {seconds:.1f} | {seconds / total:.1%} |")
    lines += ["", "| slowest tests | s |", "|---|---:|"]
    for case in sorted(cases, key=lambda c: c.seconds, reverse=True)[:top]:
        lines.append(f"| {case.file}::{case.name} | {case.seconds:.1f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="JUnit XML written by pytest --junitxml")
    parser.add_argument("--top", type=int, default=20, help="how many of the slowest tests to list")
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist workers of that run")
    options = parser.parse_args()
    print(report(read_report(options.report), options.top, options.workers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
