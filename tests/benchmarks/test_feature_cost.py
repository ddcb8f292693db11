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


TOGGLED = """theme:
  name: material
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      accent: indigo
      toggle:
        icon: material/weather-night
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      accent: light blue
      toggle:
        icon: material/weather-sunny
        name: Switch to light mode
  features:
    - toc.follow
plugins:
  - search
"""


def test_the_toggle_variant_keeps_the_first_scheme_alone() -> None:
    out = feature_cost.variant_config(TOGGLED, [feature_cost.PALETTE_TOGGLE])
    assert out == (
        "theme:\n  name: material\n  palette:\n    scheme: default\n    primary: indigo\n    accent: indigo\n"
        "  features:\n    - toc.follow\nplugins:\n  - search\n"
    )


def test_the_toggle_and_a_feature_go_together() -> None:
    out = feature_cost.variant_config(TOGGLED, ["toc.follow", feature_cost.PALETTE_TOGGLE])
    assert "toggle" not in out and "slate" not in out and "toc.follow" not in out
    assert "  palette:\n    scheme: default\n" in out


def test_a_palette_without_a_toggle_is_refused() -> None:
    with pytest.raises(ValueError, match="no toggle"):
        feature_cost.without_palette_toggle(
            CONFIG.replace("  features:", "  palette:\n    - scheme: slate\n  features:")
        )
    with pytest.raises(ValueError, match="no theme.palette"):
        feature_cost.without_palette_toggle(CONFIG)


def test_the_site_s_toggle_can_be_taken_out() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    out = feature_cost.without_palette_toggle(config)
    assert "toggle:" in config and "toggle:" not in out
    assert out.count("scheme:") == 1


def test_a_value_of_several_words_is_kept_whole() -> None:
    dark_first = TOGGLED.replace("accent: indigo", "accent: deep purple", 1)
    out = feature_cost.without_palette_toggle(dark_first)
    assert "  palette:\n    scheme: default\n    primary: indigo\n    accent: deep purple\n  features:" in out
