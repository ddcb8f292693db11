"""The site data: loaded once, checked across files, with messages naming file, record and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from macros import datasets, loader
from macros.loader import DataError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the data files that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(datasets.DATA_DIR, target)
    return target


def _edit(data_dir: Path, name: str, change) -> None:  # noqa: ANN001 - a small test helper
    file = data_dir / f"{name}.yaml"
    doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    change(doc)
    file.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_site_data_has_one_typed_field_per_registered_dataset() -> None:
    site = datasets.site_data()
    for entry in datasets.DATASETS:
        assert isinstance(site.dataset(entry.name), entry.model)
    assert datasets.site_data() is site  # loaded once per process


def test_unknown_dataset_name_lists_the_known_ones() -> None:
    with pytest.raises(DataError, match=r"unknown dataset 'prices' \(known: patterns, "):
        datasets.site_data().dataset("prices")


def test_every_matrix_platform_gets_its_list_price_joined_from_pricing() -> None:
    site = datasets.site_data()
    by_id = {a.id: a for a in site.pricing.approaches}
    assert set(site.ipaas.list_prices) == {p.id for p in site.ipaas.platforms}
    for platform_id, cell in site.ipaas.list_prices.items():
        assert cell.value == by_id[platform_id].list_price.value


def test_a_platform_without_an_approach_names_both_files(data_dir: Path) -> None:
    def rename(doc: dict) -> None:
        doc["platforms"][1]["id"] = "mulesoft-x"

    _edit(data_dir, "ipaas", rename)
    with pytest.raises(DataError) as err:
        datasets.load_site_data(data_dir, docs_dir=None)
    message = str(err.value)
    assert f"{data_dir / 'ipaas.yaml'}: record 'mulesoft-x' (platforms[1]), field 'id'" in message
    assert "no approach with this id in" in message and "pricing.yaml" in message


def test_a_platform_approach_without_list_price_names_the_pricing_record(data_dir: Path) -> None:
    platform_id = datasets.site_data().ipaas.platforms[0].id

    def drop(doc: dict) -> None:
        for index, entry in enumerate(doc["approaches"]):
            if entry["id"] == platform_id:
                del entry["list_price"]
                drop.index = index  # type: ignore[attr-defined]

    _edit(data_dir, "pricing", drop)
    with pytest.raises(DataError) as err:
        datasets.load_site_data(data_dir, docs_dir=None)
    where = f"record '{platform_id}' (approaches[{drop.index}]), field 'list_price'"  # type: ignore[attr-defined]
    assert f"{data_dir / 'pricing.yaml'}: {where}: missing" in str(err.value)


def test_a_link_to_a_missing_page_names_file_record_and_field(data_dir: Path) -> None:
    def misspell(doc: dict) -> None:
        doc["connectors"][2]["page"] = "connectors/strype.md"

    _edit(data_dir, "connectors", misspell)
    with pytest.raises(DataError) as err:
        datasets.load_site_data(data_dir, docs_dir=ROOT / "docs")
    connector_id = datasets.site_data().connectors.connectors[2].id
    assert (
        f"connectors.yaml: record '{connector_id}' (connectors[2]), field 'page': "
        "no page 'connectors/strype.md' under the docs folder"
    ) in str(err.value)


def test_errors_of_every_file_are_reported_together(data_dir: Path) -> None:
    _edit(data_dir, "glossary", lambda doc: doc["terms"][0].pop("definition"))
    _edit(data_dir, "patterns", lambda doc: doc["patterns"][0].pop("sources"))
    with pytest.raises(DataError) as err:
        datasets.load_site_data(data_dir, docs_dir=None)
    assert "glossary.yaml: record" in str(err.value) and "patterns.yaml: record" in str(err.value)


def test_the_faster_yaml_loader_is_used_when_available() -> None:
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert loader.SafeLoader is expected
