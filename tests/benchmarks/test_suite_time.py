"""benchmarks/suite_time.py reads pytest's JUnit report into seconds per test file."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from suite_time import by_file, read_report, report  # noqa: E402

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="4">
  <testcase classname="tests.site.test_every_page" name="test_page[home]" time="6.5"/>
  <testcase classname="tests.site.test_every_page" name="test_page[cdc]" time="3.5"/>
  <testcase classname="tests.macros.test_loader.TestLoader" name="test_reads" time="0.25"/>
  <testcase classname="tests.macros.test_loader.TestLoader" name="test_fails" time="0.75"/>
</testsuite></testsuites>
"""


def test_cases_are_charged_to_their_file_with_classes_folded_in(tmp_path: Path) -> None:
    path = tmp_path / "suite.xml"
    path.write_text(REPORT, encoding="utf-8")
    cases = read_report(path)
    assert [c.file for c in cases] == [
        "tests/site/test_every_page.py",
        "tests/site/test_every_page.py",
        "tests/macros/test_loader.py",
        "tests/macros/test_loader.py",
    ]
    assert by_file(cases) == [
        ("tests/site/test_every_page.py", 2, 10.0),
        ("tests/macros/test_loader.py", 2, 1.0),
    ]


def test_the_report_gives_totals_shares_and_the_slowest_first(tmp_path: Path) -> None:
    path = tmp_path / "suite.xml"
    path.write_text(REPORT, encoding="utf-8")
    text = report(read_report(path), top=1, workers=2)
    assert text.splitlines()[0] == "4 tests, 11 worker seconds; 6 s of wall time at best on 2 workers."
    assert "| tests/site/test_every_page.py | 2 | 10.0 | 90.9% |" in text
    assert text.rstrip().endswith("| tests/site/test_every_page.py::test_page[home] | 6.5 |")
