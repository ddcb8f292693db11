"""API entries moved to pages of their own: old links still reach them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
API = ROOT / "docs/reference/api"
MOVED = re.compile(r'<span id="([\w.]+)"></span>\[`\1`\]\(([\w-]+)\.md#\1\)')


def moved_entries() -> list[tuple[str, str, str]]:
    """(old page, module, new page) for every moved module listed on an API page."""
    found = []
    for page in sorted(API.glob("*.md")):
        found += [(page.stem, module, new) for module, new in MOVED.findall(page.read_text(encoding="utf-8"))]
    return found


def test_every_moved_module_is_listed_where_it_was() -> None:
    entries = moved_entries()
    assert {old for old, _, _ in entries} == {
        "macros",
        "macros-renderers",
        "macros-schemas",
        "macros-schemas-connectors",
        "tco",
        "tco-data",
        "tco-inputs",
        "tco-render",
        "snippets",
    }
    assert len(entries) == len(set(entries)) >= 35
    for _, module, new in entries:
        text = (API / f"{new}.md").read_text(encoding="utf-8")
        # A whole module, or one member of a module split over two pages (listed in its `members`).
        parent, member = module.rsplit(".", 1)
        assert f"::: {module}\n" in text or (f"::: {parent}\n" in text and f"- {member}\n" in text), module
    # A module moved twice is sent straight to where it is now from every old page.
    targets = {module: {new for _, m, new in entries if m == module} for _, module, _ in entries}
    assert all(len(pages) == 1 for pages in targets.values()), targets


def test_moved_modules_keep_their_anchor_on_the_old_page(site_dir: Path) -> None:
    for old, module, new in moved_entries():
        old_html = (site_dir / "reference/api" / old / "index.html").read_text(encoding="utf-8")
        new_html = (site_dir / "reference/api" / new / "index.html").read_text(encoding="utf-8")
        assert f'id="{module}"' in old_html, (old, module)
        assert f'id="{module}"' in new_html, (new, module)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("old", "entry", "new"),
    [
        ("macros", "macros.models.ipaas.PlatformId", "macros-schemas-ipaas"),
        ("macros-schemas", "macros.models.ipaas.PlatformId", "macros-schemas-ipaas"),
        ("macros", "macros.datasets.load", "macros-datasets"),
        ("macros-renderers", "macros.ipaas_render.ipaas_matrix", "macros-renderers-widgets"),
        ("macros-schemas-connectors", "macros.models.security_tiers.SecurityTiers", "macros-schemas-mapping"),
        ("macros", "macros.models.brokers.Broker", "macros-schemas-connectors"),
        ("macros-schemas", "macros.models.connectors.Connector", "macros-schemas-connectors"),
        ("tco", "macros.tco.render.money", "tco-render"),
        ("tco-inputs", "macros.tco.text.PAIR_CHART", "tco-text"),
        ("snippets", "snippets.reliability.retry_backoff.RetryBudget", "snippets-reliability"),
    ],
)
def test_links_to_moved_entries_are_forwarded(page, site_url: str, old: str, entry: str, new: str) -> None:
    page.goto(f"{site_url}reference/api/{old}/#{entry}")
    page.wait_for_url(f"**/reference/api/{new}/#{entry}", timeout=10000)
    assert page.locator(f"[id='{entry}']").count() == 1


@pytest.mark.browser
@pytest.mark.parametrize(
    "fragment", ["%E0%A4%A", "macros.models", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "macros.loader"]
)
def test_other_fragments_stay_on_the_page(page, site_url: str, fragment: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site_url}reference/api/macros/#{fragment}")
    page.wait_for_function("typeof (window.ipWidgets || {})['moved-anchors'] === 'function'")
    page.wait_for_timeout(300)
    assert page.url.endswith(f"/reference/api/macros/#{fragment}")
    assert errors == []
    assert page.locator("script:has-text('alert(1)')").count() == 0
