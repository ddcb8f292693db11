"""Copy citation on the comparison matrix and the cheat sheet: formats (under Node) and the page."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "citation.js"
NODE = "/usr/bin/node"

FACT = {
    "what": "Workato · Private [runtime]",
    "value": "Yes: VPW | by contract",
    "sources": [{"title": "Workato docs: Cloud hosting", "url": "https://docs.example.com/a_(b)"}],
    "reviewed": "2026-11-30",
    "link": "https://site.example/ipaas/comparison-matrix/#platform-workato",
}


def formats(fact: dict[str, Any]) -> dict[str, str]:
    if not Path(NODE).exists():
        pytest.skip("Node is not installed")
    harness = (
        "global.window = {}; require(process.argv[1]);"
        "const fact = JSON.parse(process.argv[2]);"
        "const c = window.ipCitation;"
        "console.log(JSON.stringify({plain: c.plain(fact), md: c.markdown(fact)}));"
    )
    out = subprocess.run(
        [NODE, "-e", harness, str(SCRIPT), json.dumps(fact)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(out.stdout)


def test_plain_text_citation_names_fact_source_date_and_link() -> None:
    text = formats(FACT)["plain"]
    assert text == (
        "Workato · Private [runtime]: Yes: VPW | by contract. Source: Workato docs: Cloud hosting "
        "<https://docs.example.com/a_(b)>; reviewed 2026-11-30. "
        "Via Integration Patterns: https://site.example/ipaas/comparison-matrix/#platform-workato"
    )


def test_markdown_citation_escapes_text_and_keeps_links_intact() -> None:
    md = formats(FACT)["md"]
    assert md.startswith("**Workato · Private \\[runtime\\]**: Yes: VPW \\| by contract (")
    assert "[Workato docs: Cloud hosting](https://docs.example.com/a_(b%29)" in md
    assert md.endswith(
        "; reviewed 2026-11-30; via [Integration Patterns](https://site.example/ipaas/comparison-matrix/#platform-workato))"
    )


def test_missing_source_and_date_are_said_plainly() -> None:
    out = formats({**FACT, "sources": [], "reviewed": ""})
    assert "Source: none listed. Via" in out["plain"] and "(no source listed; via" in out["md"]


def test_script_is_small_and_never_parses_html() -> None:
    import rjsmin

    source = SCRIPT.read_text(encoding="utf-8")
    assert len(rjsmin.jsmin(source).encode()) <= 5 * 1024
    assert (
        "innerHTML" not in source
        and "eval(" not in source
        and "http" not in source.replace("http://www.w3", "")
    )


@pytest.mark.slow
def test_marker_is_only_on_pages_with_citable_facts(site_dir: Path) -> None:
    marker = 'data-widget="citation"'
    assert marker in (site_dir / "ipaas" / "comparison-matrix" / "index.html").read_text(encoding="utf-8")
    assert marker in (site_dir / "connectors" / "cheat-sheet" / "index.html").read_text(encoding="utf-8")
    assert marker not in (site_dir / "events" / "kafka" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.browser
def test_matrix_cell_and_cheat_sheet_entry_can_be_cited(page: Any, site_url: str) -> None:
    # The cell is in a criteria group the table does not open on: the link to it opens it.
    page.goto(site_url + "ipaas/comparison-matrix/#platform-workato-private-runtime")
    page.locator(".ip-cite").wait_for(state="attached")
    # Its top-left corner: the value, not the source link further down the cell.
    page.locator('#platform-workato td[data-c="private-runtime"]').click(position={"x": 3, "y": 3})
    preview = page.locator(".ip-cite-text")
    text = preview.input_value()
    assert text.startswith("Workato · ") and "Virtual Private Workato (VPW)" in text
    assert "reviewed 2026-11-30" in text and text.endswith("ipaas/comparison-matrix/#platform-workato")
    assert (
        "source" not in text.split(": ", 1)[1].split(". Source:")[0]
    )  # link labels are not part of the fact
    page.get_by_role("button", name="Copy as Markdown").click()
    md = preview.input_value()
    assert "](https://docs.workato.com/cloud-hosting-editions/hosting-editions.html)" in md

    page.goto(site_url + "connectors/cheat-sheet/")
    page.locator(".ip-cite").wait_for(state="attached")
    page.locator('section[data-connector="hubspot"] .ip-cs-facts > summary').click()  # open its table
    page.locator("#hubspot-webhooks .ip-cs-summary").click()
    text = page.locator(".ip-cite-text").input_value()
    assert text.startswith("HubSpot · Webhooks") and "reviewed 2026-11-30" in text
    assert text.endswith("connectors/cheat-sheet/#hubspot-webhooks")
