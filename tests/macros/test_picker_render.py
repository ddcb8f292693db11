"""The picker renderer: a checklist form, escaped embedded JSON, the decision tables."""

from __future__ import annotations

import json
import re

from macros import datasets, picker_render
from snippets.patterns import pattern_picker as picker

PAGE = "patterns/pattern-picker/"
CATALOG = datasets.site_data().patterns


def embedded(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" class="ip-picker-data">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_every_question_is_a_fieldset_with_a_legend_and_a_default() -> None:
    html = picker_render.pattern_picker(CATALOG, PAGE)
    assert html.count("<fieldset") == len(picker.QUESTIONS)
    assert html.count("<legend>") == len(picker.QUESTIONS)
    assert html.count(" checked>") == len(picker.QUESTIONS)
    assert 'aria-live="polite"' in html and 'data-widget="picker"' in html
    assert "\n\n" not in html


def test_embedded_data_has_texts_and_relative_links() -> None:
    data = embedded(picker_render.pattern_picker(CATALOG, PAGE))
    assert data["questions"][0]["text"] == picker.QUESTIONS[0].text
    patterns = {p["id"]: p for p in data["patterns"]}
    assert patterns["cdc"]["href"].startswith("../../")
    assert data["build_links"]["dlt"] == "../../dlt/"
    assert data["cost_link"][0] == "../../tco/calculator/"
    assert set(data["source_links"]) == {o for o, _ in picker.QUESTIONS[1].options}


def test_json_cannot_close_its_script_element(monkeypatch) -> None:
    monkeypatch.setitem(picker.TRADE_OFFS, "not-seconds", "</script><img src=x onerror=alert(1)> & more")
    html = picker_render.pattern_picker(CATALOG, PAGE)
    payload = html.split('class="ip-picker-data">', 1)[1]
    assert payload.count("</script>") == 1
    assert "<img" not in html
    assert embedded(html)["trade_offs"]["not-seconds"].startswith("</script><img")


def test_decision_tables_list_every_rule_in_order() -> None:
    html = picker_render.decision_table(CATALOG, PAGE)
    assert 'id="picker-decision-table"' in html and 'id="picker-build-table"' in html
    whens = [rule.when for rule in picker.RULES]
    positions = [html.index(w) for w in whens]
    assert positions == sorted(positions)
    assert "Anything else" in html and "Custom code".lower() in html.lower()


def test_every_guide_link_points_at_an_existing_page() -> None:
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    for guides in picker_render.GUIDES.values():
        for page, title in guides:
            assert (docs / page).is_file(), page
            assert title
    data = embedded(picker_render.pattern_picker(CATALOG, PAGE))
    assert data["guides"]["webhooks"][0][0] == "../../solutions/stripe-webhook-endpoint/"
