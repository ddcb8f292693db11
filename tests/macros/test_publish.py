import csv
import io
import json

import pytest

from macros import datasets, publish
from macros.models.common import Fact, Source, StrictModel


class Row(StrictModel):
    id: str
    formula: str
    tags: list[str]
    fact: Fact


class Table(StrictModel):
    rows: list[Row]


def sample() -> Table:
    fact = Fact(
        value=True, sources=[Source(title="Doc", url="https://example.com/doc")], reviewed="2026-01-02"
    )
    return Table(rows=[Row(id="a", formula="=1+1", tags=["x", "y"], fact=fact)])


def test_json_round_trips_and_is_marked_generated() -> None:
    payload = json.loads(publish.to_json(sample()))
    assert payload["generated"].startswith("Generated from the site's YAML data")
    assert payload["rows"][0]["fact"]["sources"][0]["url"] == "https://example.com/doc"
    assert payload["rows"][0]["fact"]["reviewed"] == "2026-01-02"


def test_csv_flattens_records_and_neutralises_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(publish.to_csv(sample()))))
    assert rows == [
        {
            "id": "a",
            "formula": "'=1+1",
            "tags": "x; y",
            "fact.value": "true",
            "fact.sources": "Doc <https://example.com/doc>",
            "fact.reviewed": "2026-01-02",
            "fact.confidence": "",
            "fact.estimate": "false",
            "fact.note": "",
        }
    ]


def test_every_registered_dataset_publishes_both_formats() -> None:
    for entry in datasets.DATASETS:
        model = datasets.load(entry.name)
        assert json.loads(publish.to_json(model))
        table = list(csv.reader(io.StringIO(publish.to_csv(model))))
        assert len(table) >= 2, f"{entry.name}: CSV has no records"
        assert all(len(row) == len(table[0]) for row in table), f"{entry.name}: ragged CSV"


def test_patterns_csv_has_one_row_per_pattern() -> None:
    catalog = datasets.load("patterns")
    rows = list(csv.DictReader(io.StringIO(publish.to_csv(catalog))))
    assert [r["id"] for r in rows] == [p.id for p in catalog.patterns]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("-5", "-5"),
        ("-0.25", "-0.25"),
        ("+3", "+3"),
        ("-1.5e3", "-1.5e3"),
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("-2+3", "'-2+3"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@HYPERLINK()", "'@HYPERLINK()"),
        ("\tx", "'\tx"),
        ("- a bullet", "'- a bullet"),
        ("plain", "plain"),
    ],
)
def test_negative_numbers_stay_numbers_and_formulas_are_neutralised(cell: str, written: str) -> None:
    assert publish._neutralise(cell) == written
