"""Data, models and renderers of the activation and data sections."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from macros import activation_render, datasets, publish
from macros.models.field_mappings import FieldMappingTable, Mapping
from macros.models.reverse_etl import ReverseEtlComparison
from macros.models.security_tiers import SecurityTiers
from snippets.mapping.canonical_model import SALESFORCE_ACCOUNT, STRIPE_CUSTOMER, CanonicalCustomer

SNIPPET_MAPPINGS = {"salesforce": SALESFORCE_ACCOUNT, "stripe": STRIPE_CUSTOMER}


def raw(name: str) -> dict[str, Any]:
    return yaml.safe_load(datasets.dataset(name).path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mappings() -> FieldMappingTable:
    loaded = datasets.load("field_mappings")
    assert isinstance(loaded, FieldMappingTable)
    return loaded


def test_every_canonical_field_is_in_the_table_and_nothing_else(mappings) -> None:
    assert [f.id for f in mappings.fields] == list(CanonicalCustomer.model_fields)
    assert mappings.model_version == CanonicalCustomer.model_fields["schema_version"].default


def test_every_field_maps_or_is_explicitly_unmapped_in_every_system(mappings) -> None:
    systems = {s.id for s in mappings.systems}
    for field in mappings.fields:
        assert set(field.mappings) == systems, field.id
        for system, mapping in field.mappings.items():
            assert (mapping.source_field is None) != (mapping.unmapped is None), (field.id, system)
            if mapping.unmapped is not None:
                assert len(mapping.unmapped) > 20, f"{field.id}/{system}: give a real reason"


def test_table_agrees_with_the_mapping_code(mappings) -> None:
    assert set(SNIPPET_MAPPINGS) == {s.id for s in mappings.systems}
    for field in mappings.fields:
        for system, code in SNIPPET_MAPPINGS.items():
            mapping = field.mappings[system]
            if mapping.source_field is None:
                assert field.id not in code, (
                    f"{field.id}/{system}: code maps a field the table calls unmapped"
                )
            else:
                assert code[field.id][0] == mapping.source_field, (field.id, system)


def test_required_flags_match_the_model(mappings) -> None:
    for field in mappings.fields:
        info = CanonicalCustomer.model_fields[field.id]
        assert field.required == (info.is_required() or field.id == "schema_version"), field.id


def test_a_mapping_needs_a_source_field_or_a_reason() -> None:
    with pytest.raises(ValidationError, match="either 'source_field'"):
        Mapping()
    with pytest.raises(ValidationError, match="either 'source_field'"):
        Mapping(source_field="Name", unmapped="because")
    with pytest.raises(ValidationError, match="no transform"):
        Mapping(unmapped="not in this system", transform="trimmed")


def test_a_field_missing_a_system_is_refused() -> None:
    data = raw("field_mappings")
    del data["fields"][3]["mappings"]["stripe"]
    with pytest.raises(ValidationError, match="field 'name': mappings must cover every system"):
        FieldMappingTable.model_validate(data)


def test_field_mappings_csv_has_one_row_per_field_and_system(mappings) -> None:
    rows = list(csv.DictReader(io.StringIO(publish.to_csv(mappings))))
    assert len(rows) == len(mappings.fields) * len(mappings.systems)
    email_sf = next(r for r in rows if r["canonical_field"] == "email" and r["system"] == "Salesforce")
    assert email_sf["source_field"] == "" and "Contact" in email_sf["unmapped_reason"]


def test_field_mapping_table_renders_rows_and_download_links(mappings) -> None:
    html = activation_render.field_mapping_table(mappings, "mapping/canonical-data-model/")
    assert html.count('<tr id="field-') == len(mappings.fields)
    assert 'href="../../data/field_mappings.csv"' in html
    assert "<strong>Unmapped.</strong>" in html and "<code>address.country</code>" in html


def test_reverse_etl_covers_every_option_and_renders_sources() -> None:
    comparison = datasets.load("reverse_etl")
    assert isinstance(comparison, ReverseEtlComparison)
    html = activation_render.reverse_etl_table(comparison)
    assert html.count('<tr id="retl-') == len(comparison.criteria)
    assert html.count('class="ip-src"') == len(comparison.criteria) * len(comparison.options)
    assert "200 requests per 10 seconds per workspace" in html
    rows = comparison.csv_rows()
    assert len(rows) == len(comparison.criteria) * len(comparison.options)
    assert all(r["sources"] and r["reviewed"] for r in rows)


def test_reverse_etl_refuses_a_missing_cell_and_a_duplicate_row() -> None:
    data = raw("reverse_etl")
    broken = {
        **data,
        "criteria": [
            dict(data["criteria"][0], values={"hightouch": data["criteria"][0]["values"]["hightouch"]})
        ],
    }
    with pytest.raises(ValidationError, match="missing: census, custom"):
        ReverseEtlComparison.model_validate(broken)
    with pytest.raises(ValidationError, match="appears twice"):
        ReverseEtlComparison.model_validate({**data, "criteria": [data["criteria"][0], data["criteria"][0]]})


def test_renderers_escape_hostile_data() -> None:
    data = raw("reverse_etl")
    data["criteria"][0]["criterion"] = "<script>alert(1)</script>"
    html = activation_render.reverse_etl_table(ReverseEtlComparison.model_validate(data))
    assert "<script>" not in html and "&lt;script&gt;" in html

    tiers = raw("security_tiers")
    tiers["capabilities"][0]["allowed"]["regulated"] = '"><img src=x onerror=alert(1)>'
    html = activation_render.security_tiers_table(SecurityTiers.model_validate(tiers))
    assert "<img" not in html


def test_security_tiers_answer_every_tier() -> None:
    tiers = datasets.load("security_tiers")
    assert isinstance(tiers, SecurityTiers)
    html = activation_render.security_tiers_table(tiers)
    assert html.count('<tr id="tier-') == len(tiers.capabilities)
    data = raw("security_tiers")
    del data["capabilities"][1]["allowed"]["air-gapped"]
    with pytest.raises(ValidationError, match="capability 'credential-storage'.*missing: air-gapped"):
        SecurityTiers.model_validate(data)
