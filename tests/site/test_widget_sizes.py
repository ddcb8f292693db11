"""Size budgets of the widget scripts, measured as the reader receives them:
the file the build serves (copied unchanged from docs/assets/javascripts),
gzip-compressed as a web server sends it."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "docs" / "assets" / "javascripts"

BUDGETS_KB = {
    "widgets.js": 5,  # on every page: loader, URL state, landing, DOM and SVG helpers
    "matrix.js": 8,
    "cheatsheet.js": 5,
    "backoff.js": 5,
}
"""Gzip budget per script, in KiB."""


def served_gzip_bytes(path: Path) -> int:
    """Size of ``path`` after gzip at level 6 (a common server default)."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


@pytest.mark.parametrize(("name", "budget"), sorted(BUDGETS_KB.items()))
def test_widget_script_fits_its_gzip_budget(name: str, budget: int) -> None:
    path = SCRIPTS / name
    size = served_gzip_bytes(path)
    print(f"{name}: {path.stat().st_size} bytes, {size} bytes gzip")
    assert 0 < size <= budget * 1024


@pytest.mark.parametrize("name", sorted(BUDGETS_KB))
def test_widget_script_never_parses_text_as_html(name: str) -> None:
    source = (SCRIPTS / name).read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source, sink


@pytest.mark.slow
def test_budgets_measure_what_the_build_serves(site_dir: Path) -> None:
    for name in BUDGETS_KB:
        assert (site_dir / "assets" / "javascripts" / name).read_bytes() == (SCRIPTS / name).read_bytes()
