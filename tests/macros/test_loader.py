"""A bad data file stops the build with one message naming file, record and field."""

from __future__ import annotations

import copy
import math
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from macros.loader import DataError, load_model
from macros.models.common import NonNegative, Sourced, StrictModel
from macros.models.glossary import Glossary
from macros.models.patterns import PatternCatalog

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = yaml.safe_load((ROOT / "macros/data/patterns.yaml").read_text())


class PricedThing(Sourced):
    """A minimal sourced record with a price, for the negative-price cases."""

    id: str
    price: NonNegative


class PriceList(StrictModel):
    items: list[PricedThing]


def write(tmp_path: Path, data: Any, name: str = "data.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def patterns_with(change) -> dict:
    data = copy.deepcopy(PATTERNS)
    change(data)
    return data


def error_for(path: Path, model: type) -> str:
    with pytest.raises(DataError) as caught:
        load_model(path, model)
    return str(caught.value)


def test_real_patterns_file_is_valid() -> None:
    catalog = load_model(ROOT / "macros/data/patterns.yaml", PatternCatalog)
    assert len(catalog.patterns) >= 7


def test_wrong_type_names_file_record_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, patterns_with(lambda d: d["patterns"][2].update(volume="huge")))
    assert error_for(path, PatternCatalog) == (
        f"{path}: record 'cdc' (patterns[2]), field 'volume': Input should be 'low', 'medium' or 'high'"
    )


def test_missing_source(tmp_path: Path) -> None:
    path = write(tmp_path, patterns_with(lambda d: d["patterns"][0].pop("sources")))
    assert f"{path}: record 'request-reply' (patterns[0]), field 'sources': Field required" in error_for(
        path, PatternCatalog
    )


def test_empty_source_list(tmp_path: Path) -> None:
    path = write(tmp_path, patterns_with(lambda d: d["patterns"][1].update(sources=[])))
    assert "record 'pub-sub-events' (patterns[1]), field 'sources': List should have at least 1 item" in (
        error_for(path, PatternCatalog)
    )


def test_unknown_key(tmp_path: Path) -> None:
    path = write(tmp_path, patterns_with(lambda d: d["patterns"][3].update(latencyy="fast")))
    assert "record 'batch-file' (patterns[3]), field 'latencyy': unknown key" in error_for(
        path, PatternCatalog
    )


def test_review_date_in_the_future(tmp_path: Path) -> None:
    path = write(tmp_path, patterns_with(lambda d: d["patterns"][4].update(reviewed="2999-01-01")))
    assert (
        "record 'webhooks' (patterns[4]), field 'reviewed': Value error, date 2999-01-01 is in the future"
        in (error_for(path, PatternCatalog))
    )


def test_malformed_date(tmp_path: Path) -> None:
    path = write(tmp_path, patterns_with(lambda d: d["patterns"][0].update(reviewed="25/11/2026")))
    assert "field 'reviewed': Input should be a valid date" in error_for(path, PatternCatalog)


def test_source_url_must_be_a_url(tmp_path: Path) -> None:
    def change(d: dict) -> None:
        d["patterns"][5]["sources"][0]["url"] = "hightouch docs"

    path = write(tmp_path, patterns_with(change))
    assert "record 'reverse-etl' (patterns[5]), field 'sources.0.url': Input should be a valid URL" in (
        error_for(path, PatternCatalog)
    )


def test_unknown_confidence(tmp_path: Path) -> None:
    path = write(tmp_path, patterns_with(lambda d: d["patterns"][6].update(confidence="certain")))
    assert (
        "record 'dlt-pipelines' (patterns[6]), field 'confidence': Input should be 'high', 'medium' or 'low'"
        in (error_for(path, PatternCatalog))
    )


def test_bad_identifier(tmp_path: Path) -> None:
    path = write(tmp_path, patterns_with(lambda d: d["patterns"][0].update(id="Request Reply")))
    assert "field 'id': String should match pattern" in error_for(path, PatternCatalog)


def test_negative_price(tmp_path: Path) -> None:
    data = {
        "items": [
            {
                "id": "starter",
                "price": -5,
                "sources": [{"title": "t", "url": "https://example.com"}],
                "reviewed": "2026-01-01",
            }
        ]
    }
    path = write(tmp_path, data)
    assert error_for(path, PriceList) == (
        f"{path}: record 'starter' (items[0]), field 'price': Input should be greater than or equal to 0"
    )


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_non_finite_price(tmp_path: Path, value: float) -> None:
    data = {
        "items": [
            {
                "id": "x",
                "price": value,
                "sources": [{"title": "t", "url": "https://example.com"}],
                "reviewed": "2026-01-01",
            }
        ]
    }
    path = write(tmp_path, data)
    assert "record 'x' (items[0]), field 'price': Input should be a finite number" in error_for(
        path, PriceList
    )


def test_verdicts_must_cover_every_approach(tmp_path: Path) -> None:
    path = write(tmp_path, patterns_with(lambda d: d["factors"][0]["verdicts"].pop("dlt")))
    message = error_for(path, PatternCatalog)
    assert (
        "field 'factors': Value error, factor 'time-to-first-flow': verdicts must cover the approaches"
        in message
    )
    assert "(missing: dlt; unknown: none)" in message


def test_duplicate_glossary_term(tmp_path: Path) -> None:
    entry = {"term": "CDC", "definition": "Change data capture, defined twice."}
    path = write(tmp_path, {"terms": [entry, entry]})
    assert error_for(path, Glossary) == f"{path}: field 'terms': Value error, term 'CDC' is defined twice"


def test_glossary_rejects_markup(tmp_path: Path) -> None:
    path = write(tmp_path, {"terms": [{"term": "XSS", "definition": "<script>alert(1)</script> a trick"}]})
    assert "record 'XSS' (terms[0]), field 'definition': Value error, must be plain text" in error_for(
        path, Glossary
    )


def test_invalid_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "patterns: [unclosed\n")
    assert error_for(path, PatternCatalog).startswith(f"{path}: not valid YAML:")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    assert error_for(path, PatternCatalog) == f"{path}: cannot read data file (No such file or directory)"


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "- just\n- a list\n")
    assert error_for(path, PatternCatalog) == f"{path}: expected a mapping at the top level, got list"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    def change(d: dict) -> None:
        d["patterns"][0].pop("sources")
        d["patterns"][1]["volume"] = "huge"

    message = error_for(write(tmp_path, patterns_with(change)), PatternCatalog)
    assert len(message.splitlines()) == 2


@pytest.mark.slow
def test_bad_data_file_stops_the_build(tmp_path: Path) -> None:
    """The real build refuses an invalid record and says where it is."""
    project = tmp_path / "project"
    shutil.copytree(
        ROOT,
        project,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "site", "node_modules", "__pycache__", ".pytest_cache"
        ),
    )
    data_file = project / "macros/data/patterns.yaml"
    broken = yaml.safe_load(data_file.read_text())
    broken["patterns"][2].pop("sources")
    data_file.write_text(yaml.safe_dump(broken, sort_keys=False))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode != 0
    assert (
        "macros/data/patterns.yaml: record 'cdc' (patterns[2]), field 'sources': Field required"
        in result.stderr
    )
