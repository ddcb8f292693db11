"""benchmarks/lighthouse.py: the site a benchmark measures, given or built."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import lighthouse  # noqa: E402


def test_a_given_site_is_measured_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[tuple[Path, Path]] = []
    monkeypatch.setattr(lighthouse, "build", lambda config_dir, out: built.append((config_dir, out)) or 0.0)
    given = tmp_path / "prebuilt"
    assert lighthouse.site_to_measure(given, tmp_path / "work") == given
    assert built == []


def test_without_a_site_this_project_is_built_into_the_work_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[tuple[Path, Path]] = []
    monkeypatch.setattr(lighthouse, "build", lambda config_dir, out: built.append((config_dir, out)) or 0.0)
    assert lighthouse.site_to_measure(None, tmp_path) == tmp_path / "site"
    assert built == [(lighthouse.ROOT, tmp_path / "site")]
