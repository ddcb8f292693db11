"""benchmarks/page_ab.py: the before/after table of one change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_ab  # noqa: E402
from page_budget import Load, median_load  # noqa: E402


def loads(*fcp_lt: tuple[float, float], elements: int = 600) -> list[Load]:
    return [Load(fcp, 0.0, lt, elements, 80.0) for fcp, lt in fcp_lt]


def test_the_table_gives_medians_ratios_and_the_change() -> None:
    text = page_ab.report(
        "connectors/salesforce/",
        3,
        median_load(loads((250, 200), (260, 210), (240, 190), elements=104)),
        {
            "before": median_load(loads((450, 700), (440, 660), (460, 690), elements=838)),
            "after": median_load(loads((380, 650), (390, 640), (384, 690), elements=838)),
        },
    )
    assert "### connectors/salesforce/ (3 rounds)" in text
    assert "| floor | 250 | 1.00 | 200 | 1.00 | 104 |" in text
    assert "| before | 450 | 1.80 | 690 | 3.45 | 838 |" in text
    assert "| after | 384 | 1.54 | 650 | 3.25 | 838 |" in text
    assert "| change | -15 % | | -6 % | | |" in text


def test_a_change_without_a_base_is_not_a_number_but_says_so() -> None:
    assert page_ab.change(0.0, 120.0) == "n/a"
    assert page_ab.change(200.0, 150.0) == "-25 %"


def test_export_writes_the_tree_of_a_commit(tmp_path: Path) -> None:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    tree = page_ab.export(head.stdout.strip(), tmp_path / "src")
    assert (tree / "mkdocs.yml").read_text(encoding="utf-8") == subprocess.run(
        ["git", "show", "HEAD:mkdocs.yml"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert not (tree / ".git").exists()
