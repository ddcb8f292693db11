"""benchmarks/feature_cost.py: a variant of mkdocs.yml without the named theme features."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import feature_cost  # noqa: E402

CONFIG = """theme:
  name: material
  features:
    - content.code.copy
    - navigation.instant
    - navigation.instant.progress
    - toc.follow
plugins:
  - search
"""


def test_a_feature_is_taken_out_and_nothing_else() -> None:
    out = feature_cost.without_features(CONFIG, ["navigation.instant"])
    assert out == CONFIG.replace("    - navigation.instant\n", "", 1)
    assert "navigation.instant.progress" in out  # a longer name that starts the same stays


def test_several_features_at_once() -> None:
    out = feature_cost.without_features(CONFIG, ["toc.follow", "content.code.copy"])
    assert "toc.follow" not in out and "content.code.copy" not in out
    assert "- navigation.instant\n" in out and "- search" in out


def test_a_feature_the_site_does_not_list_is_refused() -> None:
    with pytest.raises(ValueError, match="navigation.tabs"):
        feature_cost.without_features(CONFIG, ["navigation.tabs"])


def test_every_feature_of_the_site_can_be_taken_out() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "navigation.instant" in config
    assert "- navigation.instant\n" not in feature_cost.without_features(config, ["navigation.instant"])
