"""Size budgets of our scripts, measured as a reader's browser receives them: gzipped.

The build copies ``docs/assets`` unchanged (no minifier), so the served file is
the source file; ``test_scripts_are_served_as_written`` checks that on the
built site. Budgets are for gzip at level 6, the usual server default.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "docs" / "assets" / "javascripts"

GZIP_BUDGETS = {
    # Loader (with widgets that start when the reader comes near them), URL state,
    # landing on link targets, DOM and SVG helpers.
    "widgets.js": 5632,
    "moved-anchors.js": 1 * 1024,
    "backoff.js": 5 * 1024,
    "cheatsheet.js": 5 * 1024,
    "matrix.js": 7 * 1024,
    "tco.js": 20 * 1024,  # model twin, form and URL state, four SVG charts, A/B compare
    "citation.js": 3 * 1024,
    "picker.js": 4 * 1024,
}
"""Largest gzipped size of each script we serve, in bytes."""


def gzip_size(data: bytes) -> int:
    """Bytes on the wire for ``data`` sent with gzip at level 6."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def test_every_script_has_a_budget() -> None:
    served = sorted(p.name for p in SCRIPTS.glob("*.js"))
    missing = [name for name in served if name not in GZIP_BUDGETS]
    assert not missing, f"add a gzip budget for {missing} to GZIP_BUDGETS"


@pytest.mark.parametrize(("name", "budget"), GZIP_BUDGETS.items())
def test_script_fits_its_gzip_budget(name: str, budget: int) -> None:
    path = SCRIPTS / name
    if not path.exists():
        pytest.skip(f"{name} is not in docs/assets/javascripts")
    size = gzip_size(path.read_bytes())
    print(f"{name}: {path.stat().st_size} bytes, {size} gzipped")
    assert 0 < size <= budget, f"{name}: {size} bytes gzipped, budget {budget}"


def test_gzip_size_is_what_gzip_sends() -> None:
    text = b"function f(){return 1}\n" * 200
    assert gzip_size(text) < len(text) / 10
    assert gzip.decompress(gzip.compress(text, compresslevel=6, mtime=0)) == text


def test_scripts_are_served_as_written(site_dir: Path) -> None:
    for source in SCRIPTS.glob("*.js"):
        served = site_dir / "assets" / "javascripts" / source.name
        assert served.read_bytes() == source.read_bytes(), f"{source.name} is changed by the build"
