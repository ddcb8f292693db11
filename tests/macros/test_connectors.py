import copy
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from macros import datasets, publish
from macros.connectors_render import cheat_sheet, connector_facts, connector_list, entry_body, inline
from macros.loader import DataError, load_model
from macros.models.connectors import ConnectorSheet

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "macros" / "data" / "connectors.yaml"
REQUIRED_CONNECTORS = {
    "sap-s4hana",
    "dynamics-365",
    "salesforce",
    "netsuite",
    "stripe",
    "workday",
    "servicenow",
    "hubspot",
    "zendesk",
    "shopify",
}


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sheet() -> ConnectorSheet:
    loaded = datasets.load("connectors")
    assert isinstance(loaded, ConnectorSheet)
    return loaded


def test_dataset_covers_the_required_connectors_and_facets(sheet: ConnectorSheet):
    assert {c.id for c in sheet.connectors} >= REQUIRED_CONNECTORS
    assert len(sheet.facets) >= 12
    for connector in sheet.connectors:
        assert len(connector.entries) == len(sheet.facets)


def test_every_entry_is_sourced_dated_and_graded(sheet: ConnectorSheet):
    for connector in sheet.connectors:
        for facet_id, entry in connector.entries.items():
            where = f"{connector.id}/{facet_id}"
            assert dt.date(2026, 11, 25) <= entry.reviewed <= dt.date.today(), where
            assert entry.confidence in {"high", "medium", "low"}, where
            assert all(str(s.url).startswith("https://") for s in entry.sources), where
            if entry.unverified:
                assert entry.confidence in {"low", "medium"}, f"{where}: unverified but graded high"


def test_connector_pages_exist(sheet: ConnectorSheet):
    for connector in sheet.connectors:
        assert (ROOT / "docs" / connector.page).is_file(), connector.page


def broken(raw: dict, change) -> dict:
    data = copy.deepcopy(raw)
    change(data)
    return data


def test_a_missing_entry_is_rejected(raw: dict):
    data = broken(raw, lambda d: d["connectors"][0]["entries"].pop("gotchas"))
    with pytest.raises(ValidationError, match="connector 'salesforce'.*missing: gotchas"):
        ConnectorSheet.model_validate(data)


def test_an_unknown_facet_is_rejected(raw: dict):
    def add(d):
        d["connectors"][1]["entries"]["pricing"] = d["connectors"][1]["entries"]["auth"]

    with pytest.raises(ValidationError, match="unknown: pricing"):
        ConnectorSheet.model_validate(broken(raw, add))


def test_duplicate_ids_are_rejected(raw: dict):
    def dup(d):
        d["connectors"].append(copy.deepcopy(d["connectors"][0]))

    with pytest.raises(ValidationError, match="duplicate connector ids: salesforce"):
        ConnectorSheet.model_validate(broken(raw, dup))


def test_an_entry_without_sources_names_the_record(raw: dict, tmp_path: Path):
    data = broken(raw, lambda d: d["connectors"][2]["entries"]["auth"].pop("sources"))
    bad = tmp_path / "connectors.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataError, match=r"record 'stripe' \(connectors\[2\]\), field 'entries.auth.sources'"):
        load_model(bad, ConnectorSheet)


def test_inline_escapes_and_marks_code():
    assert inline("use `a<b>` & <i>x</i>") == "use <code>a&lt;b&gt;</code> &amp; &lt;i&gt;x&lt;/i&gt;"
    assert inline("no code") == "no code"


def test_entry_body_flags_unverified_and_lists_sources(sheet: ConnectorSheet):
    entry = sheet.connector("workday").entries["rate-limits"]
    html = entry_body(entry)
    assert (
        "Unverified" in html and f"reviewed {entry.reviewed.isoformat()}" in html and "confidence low" in html
    )
    assert 'href="https://community.workday.com/' in html


def test_hostile_text_is_escaped(raw: dict):
    data = broken(
        raw,
        lambda d: d["connectors"][0]["entries"]["auth"].update(
            summary='<script>alert(1)</script> `"x"`', details=["<img src=x onerror=alert(1)>"]
        ),
    )
    html = cheat_sheet(ConnectorSheet.model_validate(data))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "<code>&#34;x&#34;</code>" in html


def test_cheat_sheet_has_every_anchor_once(sheet: ConnectorSheet):
    html = cheat_sheet(sheet, from_url="connectors/cheat-sheet/")
    for anchor in sheet.anchors():
        assert html.count(f'id="{anchor}"') == 1, anchor
    assert 'data-widget="cheatsheet"' in html
    assert 'href="../../connectors/salesforce/"' in html  # relative link to the connector's page


def test_only_the_first_connector_table_starts_open(sheet: ConnectorSheet):
    html = str(cheat_sheet(sheet))
    sections = re.findall(r'<section class="ip-cs-connector".*?</section>', html)
    assert len(sections) == len(sheet.connectors)
    opened = [bool(re.search(r'<details class="ip-cs-facts" open>', s)) for s in sections]
    assert opened == [True] + [False] * (len(sheet.connectors) - 1)
    for connector, section in zip(sheet.connectors, sections, strict=True):
        heading, facts = section.split('<details class="ip-cs-facts"', 1)
        # The heading (anchor, search entry) stays outside the fold; every row is inside it.
        assert f'<h2 id="{connector.id}">' in heading
        assert facts.count("<tr id=") == len(sheet.facets)
        assert f"<summary>{connector.name}: all {len(sheet.facets)} facets</summary>" in facts


def test_cheat_sheet_declares_its_ids_for_the_widget(sheet: ConnectorSheet):
    html = cheat_sheet(sheet)
    assert f'data-connectors="{" ".join(c.id for c in sheet.connectors)}"' in html
    assert f'data-facets="{" ".join(f.id for f in sheet.facets)}"' in html


def test_connector_facts_link_back_to_the_sheet(sheet: ConnectorSheet):
    html = connector_facts(
        sheet, "salesforce", ["rate-limits", "pagination"], from_url="connectors/salesforce/"
    )
    assert html.count('class="ip-cs-card"') == 2
    assert 'href="../../connectors/cheat-sheet/#salesforce-rate-limits"' in html
    assert "<code>nextRecordsUrl</code>" in html
    assert connector_facts(sheet, "stripe", "webhooks").count('class="ip-cs-card"') == 1


def test_connector_facts_unknown_ids_stop_the_build(sheet: ConnectorSheet):
    with pytest.raises(KeyError):
        connector_facts(sheet, "sap", "auth")
    with pytest.raises(KeyError):
        connector_facts(sheet, "stripe", "pricing")


def test_connector_list_has_a_row_per_connector(sheet: ConnectorSheet):
    html = connector_list(sheet, from_url="connectors/")
    assert html.count('<tr><th scope="row">') == len(sheet.connectors)
    assert 'href="../connectors/netsuite/"' in html


def test_csv_download_has_one_row_per_pair(sheet: ConnectorSheet):
    rows = publish.rows(sheet)
    assert len(rows) == len(sheet.connectors) * len(sheet.facets)
    first = rows[0]
    assert first["connector"] == "salesforce" and first["facet"] == sheet.facets[0].id
    reviewed = sheet.connectors[0].entries[sheet.facets[0].id].reviewed
    assert first["reviewed"] == reviewed.isoformat() and "<https://" in first["sources"]
    csv_text = publish.to_csv(sheet)
    assert csv_text.splitlines()[0].startswith("connector,facet,summary")


def test_connector_facts_repeated_elsewhere_stay_out_of_search(sheet: ConnectorSheet):
    own = connector_facts(sheet, "salesforce", "rate-limits", from_url="connectors/salesforce/")
    repeat = connector_facts(sheet, "salesforce", "rate-limits", from_url="solutions/x/")
    assert "data-pagefind-ignore" not in own
    assert repeat.count("data-pagefind-ignore") == 1
