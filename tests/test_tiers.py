"""The fast tier selects no test that needs the built site or a browser, without hand-written markers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = [
    "tests/site/test_every_page.py",  # parametrized per page: `page` fixture
    "tests/site/test_build.py",  # site_build, no marker written in the file
    "tests/site/test_front_matter.py",  # a parametrize argument named `page`: not the fixture
    "tests/site/test_script_budgets.py",  # mixed: fast budgets, one check on the built site
]


def collected(marker_expression: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        + ["-p", "no:xdist", "-m", marker_expression, *FILES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return {line.split("[")[0] for line in result.stdout.splitlines() if "::" in line}


def test_fast_tier_leaves_out_site_and_browser_tests() -> None:
    fast = collected("not slow")
    assert "tests/site/test_every_page.py::test_page_path_follows_directory_urls" in fast
    assert "tests/site/test_front_matter.py::test_page_declares_description_reviewed_and_sources" in fast
    assert "tests/site/test_script_budgets.py::test_script_fits_its_gzip_budget" in fast
    assert (
        not {
            "tests/site/test_every_page.py::test_page_loads_locally_and_has_no_serious_accessibility_violations",
            "tests/site/test_every_page.py::test_the_page_list_matches_the_build",
            "tests/site/test_build.py::test_strict_build_passes",
            "tests/site/test_script_budgets.py::test_scripts_are_served_as_written",
        }
        & fast
    )
