"""benchmarks/page_budget.py: the reference floors (one with this site's palette, one shaped
like this site) and how the table shows them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_budget  # noqa: E402
from lighthouse import FLOOR_CONFIG  # noqa: E402

BUDGETS = {"long_task_ratio_max": 2.5, "fcp_ratio_max": 1.3, "elements_max": 2000, "transferred_kb_max": 350}


def test_the_site_palette_is_read_from_mkdocs_yml_despite_its_tags() -> None:
    palette = page_budget.site_palette()
    assert [scheme["scheme"] for scheme in palette] == ["default", "slate"]
    assert all("toggle" in scheme for scheme in palette)


def test_a_configuration_without_a_palette_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nsite_url: !ENV [SITE_URL, 'http://x/']\ntheme:\n  name: material\n")
    with pytest.raises(ValueError, match=r"mkdocs\.yml: theme\.palette"):
        page_budget.site_palette(config)


def test_the_palette_floor_is_the_default_floor_plus_the_palette() -> None:
    palette = [{"scheme": "slate", "toggle": {"icon": "material/weather-sunny", "name": "Light"}}]
    config = yaml.safe_load(page_budget.palette_floor_config(palette))
    default = yaml.safe_load(FLOOR_CONFIG)
    assert config["theme"] == {**default["theme"], "palette": palette}
    assert config["site_url"] == default["site_url"]
    assert "palette" not in default["theme"]


def test_the_reference_row_gets_no_verdict_and_our_pages_still_do() -> None:
    floor = page_budget.Load(fcp_ms=300, lcp_ms=500, long_task_ms=300, elements=100, transferred_kb=60)
    reference = page_budget.Load(fcp_ms=360, lcp_ms=560, long_task_ms=450, elements=110, transferred_kb=63)
    heavy = page_budget.Load(fcp_ms=600, lcp_ms=700, long_task_ms=900, elements=900, transferred_kb=90)
    text = page_budget.table(
        floor,
        [(page_budget.PALETTE_FLOOR, reference), ("matrix", heavy)],
        BUDGETS,
        reference=frozenset({page_budget.PALETTE_FLOOR}),
    )
    rows = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines()[2:]}
    assert rows[page_budget.PALETTE_FLOOR].endswith("| 1.20 | 560 | 450 | 1.50 | 110 | 63 | reference |")
    assert rows["matrix"].endswith("| over |")


def test_the_shaped_floor_has_the_site_navigation_palette_and_features() -> None:
    theme, nav = page_budget.site_theme_and_nav()
    config = yaml.safe_load(page_budget.shaped_floor_config(theme, nav))
    assert config["theme"]["name"] == "material" and config["theme"]["font"] is False
    assert config["theme"]["palette"] == page_budget.site_palette()
    assert "navigation.instant" in config["theme"]["features"]
    assert config["nav"] == nav
    pages = page_budget.nav_pages(nav)
    assert pages[0] == "index.md"
    assert page_budget.SHAPED_FLOOR_PAGE.rstrip("/") + ".md" in pages
    assert len(pages) == len(set(pages)) > 100


def test_nav_pages_walks_sections_and_skips_links() -> None:
    nav = [
        "index.md",
        {"Guide": ["guide/index.md", {"Setup": "guide/setup.md"}, {"Elsewhere": "https://example.org/"}]},
        {"Nested": [{"Deeper": [{"Page": "a/b/c.md"}]}]},
    ]
    assert page_budget.nav_pages(nav) == ["index.md", "guide/index.md", "guide/setup.md", "a/b/c.md"]


def test_a_configuration_without_a_nav_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: x\ntheme:\n  name: material\n"
        "  palette:\n    - scheme: default\n      toggle: {name: Dark}\n"
    )
    with pytest.raises(ValueError, match=r"mkdocs\.yml: nav"):
        page_budget.site_theme_and_nav(config)
