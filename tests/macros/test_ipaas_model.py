"""Validation of the iPaaS matrix data: the schema catches what a contributor gets wrong."""

import copy
import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from macros import datasets, publish
from macros.loader import DataError, format_validation_error, load_model
from macros.models.ipaas import Cell, IpaasMatrix, cell_text
from tests.macros.sitedata import list_price_fact, pricing

DATA = Path(__file__).resolve().parents[2] / "macros" / "data" / "ipaas.yaml"
MATRIX = datasets.site_data().ipaas
PLATFORM_IDS = [p.id for p in MATRIX.platforms]


@pytest.fixture(scope="module")
def parsed() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@pytest.fixture
def raw(parsed: dict) -> dict:
    return copy.deepcopy(parsed)


def _load(tmp_path: Path, doc: dict) -> IpaasMatrix:
    """Validate a document exactly as the loader does, naming file, record and field."""
    try:
        return IpaasMatrix.model_validate(doc)
    except ValidationError as exc:
        raise DataError(format_validation_error(tmp_path / "ipaas.yaml", doc, exc)) from None


def test_loader_reports_a_broken_file_by_name(tmp_path: Path, raw: dict) -> None:
    del raw["platforms"][0]["cells"]["sso"]["reviewed"]
    file = tmp_path / "ipaas.yaml"
    file.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(
        DataError, match=r"ipaas.yaml: record 'workato' \(platforms\[0\]\), field 'cells.sso.reviewed'"
    ):
        load_model(file, IpaasMatrix)


def test_the_real_dataset_is_valid_and_complete() -> None:
    matrix = MATRIX
    with_price = {a.id for a in pricing().approaches if a.list_price is not None}
    assert set(PLATFORM_IDS) <= with_price  # the cross-file rule, checked on the real data
    assert len(matrix.criteria) >= 18
    groups = {c.group for c in matrix.criteria}
    assert groups == {
        "pricing",
        "deployment",
        "connectivity",
        "engineering",
        "governance",
        "compliance",
        "fit",
    }
    for platform in matrix.platforms:
        for criterion in matrix.criteria:
            cell = matrix.cell(platform, criterion)
            assert cell.sources, (platform.id, criterion.id)
            assert all(str(s.url).startswith("https://") for s in cell.sources)


def test_every_platform_page_exists() -> None:
    docs = DATA.parents[2] / "docs"
    for platform in MATRIX.platforms:
        assert (docs / platform.page).is_file(), platform.page


def test_list_price_comes_from_the_tco_price_list(raw: dict) -> None:
    stored = [c["id"] for c in raw["criteria"] if c.get("external") == "pricing"]
    assert stored == ["list-price"]
    assert all("list-price" not in p["cells"] for p in raw["platforms"])
    matrix = MATRIX
    criterion = matrix.criterion("list-price")
    for platform in matrix.platforms:
        assert matrix.cell(platform, criterion).value == list_price_fact(platform.id).value


def test_missing_source_names_file_record_and_field(tmp_path: Path, raw: dict) -> None:
    doc = copy.deepcopy(raw)
    del doc["platforms"][1]["cells"]["edi"]["sources"]
    with pytest.raises(DataError) as err:
        _load(tmp_path, doc)
    message = str(err.value)
    assert "ipaas.yaml" in message
    assert "'mulesoft' (platforms[1])" in message
    assert "cells.edi.sources" in message
    assert "Field required" in message


def test_empty_source_list_is_rejected(tmp_path: Path, raw: dict) -> None:
    doc = copy.deepcopy(raw)
    doc["platforms"][0]["cells"]["sso"]["sources"] = []
    with pytest.raises(DataError, match="cells.sso.sources"):
        _load(tmp_path, doc)


def test_unknown_criterion_is_rejected(tmp_path: Path, raw: dict) -> None:
    doc = copy.deepcopy(raw)
    doc["platforms"][3]["cells"]["blockchain"] = doc["platforms"][3]["cells"]["edi"]
    with pytest.raises(DataError, match="platform 'zapier': unknown criterion blockchain"):
        _load(tmp_path, doc)


def test_missing_cell_is_rejected(tmp_path: Path, raw: dict) -> None:
    doc = copy.deepcopy(raw)
    del doc["platforms"][2]["cells"]["mdm"]
    with pytest.raises(DataError, match="platform 'boomi': no cell for mdm"):
        _load(tmp_path, doc)


def test_stored_cell_for_external_criterion_is_rejected(tmp_path: Path, raw: dict) -> None:
    doc = copy.deepcopy(raw)
    doc["platforms"][0]["cells"]["list-price"] = doc["platforms"][0]["cells"]["buyer"]
    with pytest.raises(DataError, match="unknown criterion list-price"):
        _load(tmp_path, doc)


@pytest.mark.parametrize("bad", ["2026-13-01", "not a date", "2999-01-01"])
def test_bad_review_date_is_rejected(tmp_path: Path, raw: dict, bad: str) -> None:
    doc = copy.deepcopy(raw)
    doc["platforms"][0]["cells"]["billable-unit"]["reviewed"] = bad
    with pytest.raises(
        DataError, match=r"'workato' \(platforms\[0\]\), field 'cells.billable-unit.reviewed'"
    ):
        _load(tmp_path, doc)


def test_tag_outside_the_options_is_rejected(tmp_path: Path, raw: dict) -> None:
    doc = copy.deepcopy(raw)
    doc["platforms"][0]["cells"]["edi"]["tag"] = "maybe"
    with pytest.raises(DataError, match="criterion 'edi': tag must be one of yes, partial, no"):
        _load(tmp_path, doc)


def test_tag_on_a_free_text_criterion_is_rejected(tmp_path: Path, raw: dict) -> None:
    doc = copy.deepcopy(raw)
    doc["platforms"][0]["cells"]["buyer"]["tag"] = "yes"
    with pytest.raises(DataError, match="criterion 'buyer': this criterion has no options"):
        _load(tmp_path, doc)


def test_numeric_criterion_accepts_numbers_or_not_published(tmp_path: Path, raw: dict) -> None:
    doc = copy.deepcopy(raw)
    doc["platforms"][0]["cells"]["connectors"]["value"] = "lots"
    with pytest.raises(DataError, match="value must be a number or 'Not published'"):
        _load(tmp_path, doc)


def test_malformed_platform_id_and_unknown_key_are_rejected(tmp_path: Path, raw: dict) -> None:
    doc = copy.deepcopy(raw)
    doc["platforms"][0]["id"] = "Workato Inc"
    doc["platforms"][1]["cells"]["edi"]["vaule"] = "typo"
    with pytest.raises(DataError) as err:
        _load(tmp_path, doc)
    assert "field 'id'" in str(err.value)
    assert "unknown key" in str(err.value)


def test_list_prices_written_in_the_matrix_file_are_rejected(tmp_path: Path, raw: dict) -> None:
    doc = copy.deepcopy(raw)
    doc["list_prices"] = {}
    with pytest.raises(DataError, match="list prices live in pricing.yaml"):
        _load(tmp_path, doc)


def test_a_matrix_validated_alone_has_no_prices_and_says_so(raw: dict) -> None:
    matrix = IpaasMatrix.model_validate(raw)
    assert matrix.list_prices == {}
    with pytest.raises(KeyError, match="no list price joined for platform"):
        matrix.cell(matrix.platforms[0], matrix.criterion("list-price"))


def test_unknown_group_and_duplicate_ids_are_rejected(tmp_path: Path, raw: dict) -> None:
    doc = copy.deepcopy(raw)
    doc["criteria"][0]["group"] = "money"
    with pytest.raises(DataError, match="unknown group 'money'"):
        _load(tmp_path, doc)
    doc = copy.deepcopy(raw)
    doc["platforms"].append(copy.deepcopy(doc["platforms"][0]))
    with pytest.raises(DataError, match="duplicate platform id 'workato'"):
        _load(tmp_path, doc)


def test_csv_has_one_row_per_platform_and_one_column_per_criterion() -> None:
    matrix = MATRIX
    table = list(csv.DictReader(io.StringIO(publish.to_csv(matrix))))
    assert [row["id"] for row in table] == PLATFORM_IDS
    for criterion in matrix.criteria:
        assert criterion.name in table[0]
    zapier = next(row for row in table if row["id"] == "zapier")
    assert zapier["B2B and EDI"] == "No"
    assert zapier["B2B and EDI (tag)"] == "no"
    assert zapier["Entry or list price"].startswith(list_price_fact("zapier").value)
    oracle = next(row for row in table if row["id"] == "oracle-integration")
    assert "5,000 billing messages an hour" in oracle["Billable unit"]


def test_json_download_carries_sources_dates_and_list_prices() -> None:
    payload = json.loads(publish.to_json(MATRIX))
    assert payload["generated"] == publish.GENERATED_NOTE
    workato = payload["platforms"][0]
    assert (
        workato["cells"]["billable-unit"]["reviewed"]
        == MATRIX.platforms[0].cells["billable-unit"].reviewed.isoformat()
    )
    assert workato["cells"]["billable-unit"]["sources"][0]["url"].startswith("https://docs.workato.com/")
    assert set(payload["list_prices"]) == set(PLATFORM_IDS)
    assert payload["list_prices"]["n8n"]["value"] == list_price_fact("n8n").value


def test_cell_text_shows_note_and_estimate_flag() -> None:
    base = {"sources": [{"title": "A", "url": "https://example.com/a"}], "reviewed": "2026-01-02"}
    assert cell_text(Cell.model_validate({**base, "value": "Not published", "estimate": True})) == (
        "Not published [estimate]"
    )
    assert cell_text(Cell.model_validate({**base, "value": 600, "note": "claimed"})) == "600 (claimed)"
    assert cell_text(Cell.model_validate({**base, "value": True})) == "Yes"


def test_a_missing_residency_fact_fails_the_build_naming_platform_and_criterion(
    tmp_path: Path, raw: dict
) -> None:
    del raw["platforms"][3]["cells"]["data-residency"]
    with pytest.raises(DataError, match=r"platform 'zapier': no cell for data-residency"):
        _load(tmp_path, raw)


def test_residency_cells_need_sources_and_eu_hosting_needs_a_tag(tmp_path: Path, raw: dict) -> None:
    unsourced = copy.deepcopy(raw)
    unsourced["platforms"][0]["cells"]["data-residency"]["sources"] = []
    with pytest.raises(DataError, match=r"cells.data-residency.sources"):
        _load(tmp_path, unsourced)
    untagged = copy.deepcopy(raw)
    del untagged["platforms"][0]["cells"]["eu-hosting"]["tag"]
    with pytest.raises(DataError, match=r"criterion 'eu-hosting': tag must be one of yes, on-request, no"):
        _load(tmp_path, untagged)


def test_every_platform_answers_residency_eu_hosting_and_dpa() -> None:
    matrix = MATRIX
    assert len(matrix.platforms) == 14
    for platform in matrix.platforms:
        for criterion_id in ("data-residency", "eu-hosting", "dpa", "compliance"):
            cell = platform.cells[criterion_id]
            assert cell.sources and cell.confidence, (platform.id, criterion_id)
    tags = {p.id: p.cells["eu-hosting"].tag for p in matrix.platforms}
    assert tags["zapier"] == "no" and tags["make"] == "yes" and tags["n8n"] == "yes"


def test_list_price_cells_carry_the_normalised_monthly_figure() -> None:
    from macros.cross_checks import list_price_cell

    approaches = {a.id: a for a in pricing().approaches}
    assert list_price_cell(approaches["zapier"]).sort_value == 19.99
    n8n = list_price_cell(approaches["n8n"])
    assert n8n.sort_value == 23.2 and "EUR at 1.16 USD per EUR" in (n8n.note or "")
    assert any("ecb.europa.eu" in str(s.url) for s in n8n.sources)
    workato = list_price_cell(approaches["workato"])
    assert workato.sort_value is None and workato.value.startswith("Quote only")
    assert (workato.note or "").endswith("sorted last.")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": 25.0}, "is not amount 20.0 x usd_rate 1.16"),
        ({"currency": "USD"}, "a USD price needs usd_rate 1"),
        ({"currency": "euro"}, "String should match pattern"),
        ({"usd_rate": 0}, "greater than 0"),
    ],
)
def test_a_wrong_currency_conversion_is_rejected(change: dict, message: str) -> None:
    from macros.models.pricing import MonthlyUsd

    good = {
        "value": 23.2,
        "currency": "EUR",
        "amount": 20,
        "usd_rate": 1.16,
        "rate_date": "2026-11-30",
        "sources": [{"title": "ECB", "url": "https://www.ecb.europa.eu/"}],
        "reviewed": "2026-11-30",
    }
    assert MonthlyUsd.model_validate(good).value == 23.2
    with pytest.raises(ValidationError, match=message):
        MonthlyUsd.model_validate({**good, **change})
