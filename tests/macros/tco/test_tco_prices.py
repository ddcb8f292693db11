"""The pricing dataset and the list-price lookup used by the iPaaS matrix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from macros.datasets import site_data
from macros.loader import DataError, load_model
from macros.models.common import Fact
from macros.models.pricing import PricingCatalog
from macros.tco.prices import UnknownApproachError
from tests.macros.sitedata import approach, list_price_fact, pricing

MATRIX_PLATFORMS = [p.id for p in site_data().ipaas.platforms]
TCO_ONLY = [a.id for a in pricing().approaches if a.id not in MATRIX_PLATFORMS]


@pytest.mark.parametrize("platform_id", MATRIX_PLATFORMS)
def test_every_matrix_platform_has_a_sourced_list_price(platform_id: str) -> None:
    fact = list_price_fact(platform_id)
    assert isinstance(fact, Fact)
    assert isinstance(fact.value, str) and fact.value
    assert fact.sources and all(str(s.url).startswith("https://") for s in fact.sources)
    assert fact.confidence in {"high", "medium", "low"}


@pytest.mark.parametrize("platform_id", MATRIX_PLATFORMS)
def test_quote_only_platforms_say_so_and_published_ones_carry_a_price(platform_id: str) -> None:
    entry, value = approach(platform_id), str(list_price_fact(platform_id).value)
    if value.startswith("Quote only"):
        assert entry.licence is not None, "a quote-only platform needs a licence estimate for the TCO model"
    if entry.usage is not None:
        assert re.search(r"[$€]\d", value), "a platform billed by usage publishes a price"


def test_unknown_id_raises_a_clear_error() -> None:
    with pytest.raises(UnknownApproachError, match=r"unknown approach id 'snaplogik'.*known: .*snaplogic"):
        list_price_fact("snaplogik")


@pytest.mark.parametrize("approach_id", TCO_ONLY)
def test_tco_only_approaches_without_a_list_price_say_so(approach_id: str) -> None:
    assert approach(approach_id).id == approach_id
    if approach(approach_id).list_price is None:
        with pytest.raises(UnknownApproachError, match="has no list price"):
            list_price_fact(approach_id)


def test_every_estimate_is_flagged_and_quote_licences_are_estimates() -> None:
    for a in pricing().approaches:
        if a.licence is not None:
            assert a.licence.estimate, a.id
            rows = [a.licence.annual] if a.licence.annual else [s.amount for s in a.licence.by_volume.steps]
            assert all(r.low <= r.default <= r.high for r in rows), a.id
        assert a.effort.sources


def _write(tmp_path: Path, data: dict) -> Path:
    file = tmp_path / "pricing.yaml"
    file.write_text(yaml.safe_dump(data), encoding="utf-8")
    return file


def _raw() -> dict:
    return yaml.safe_load((Path("macros/data/pricing.yaml")).read_text(encoding="utf-8"))


def test_a_decreasing_tier_schedule_is_rejected_with_file_record_and_field(tmp_path: Path) -> None:
    raw = _raw()
    zapier = next(a for a in raw["approaches"] if a["id"] == "zapier")
    zapier["usage"]["tiers"][1]["upto"] = 50
    with pytest.raises(DataError, match=r"pricing.yaml: record 'zapier' .*usage.*strictly increasing"):
        load_model(_write(tmp_path, raw), PricingCatalog)


def test_a_licence_range_out_of_order_is_rejected(tmp_path: Path) -> None:
    raw = _raw()
    workato = next(a for a in raw["approaches"] if a["id"] == "workato")
    workato["licence"]["by_volume"]["steps"][0]["amount"]["low"] = 10**9
    with pytest.raises(DataError, match=r"record 'workato'.*low <= default <= high"):
        load_model(_write(tmp_path, raw), PricingCatalog)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    raw = _raw()
    raw["approaches"].append(raw["approaches"][0])
    with pytest.raises(DataError, match="duplicate approach ids: airbyte-cloud"):
        load_model(_write(tmp_path, raw), PricingCatalog)


def test_csv_rows_have_one_row_per_approach_with_headline_figures() -> None:
    rows = pricing().csv_rows()
    assert len(rows) == len(pricing().approaches)
    mulesoft, record = next(r for r in rows if r["id"] == "mulesoft"), approach("mulesoft")
    assert record.licence is not None
    assert record.licence.by_volume is not None
    first_step = record.licence.by_volume.steps[0].amount
    assert float(mulesoft["licence_default_usd_year"]) == first_step.default
    assert mulesoft["licence_by"] == "flows"
    assert "mulesoft.com" in mulesoft["sources"]


def test_a_step_table_without_an_open_last_row_is_rejected(tmp_path: Path) -> None:
    raw = _raw()
    boomi = next(a for a in raw["approaches"] if a["id"] == "boomi")
    boomi["licence"]["by_volume"]["steps"][-1]["upto"] = 10**6
    with pytest.raises(DataError, match=r"record 'boomi'.*last step must have no upper bound"):
        load_model(_write(tmp_path, raw), PricingCatalog)
