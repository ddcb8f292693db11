"""The broker comparison dataset: schema, data rules, rendering and CSV."""

from __future__ import annotations

import copy
import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from macros import datasets, publish
from macros.brokers_render import broker_comparison, broker_facts
from macros.loader import load_model
from macros.models.brokers import CAPABILITIES, BrokerCatalog

DATA = Path("macros/data/brokers.yaml")
# Errors are matched as ValueError (DataError's base): another test may reload the
# macros modules, which replaces the DataError class but not the builtin.
REQUIRED_BROKERS = {"kafka", "pubsub", "eventbridge", "rabbitmq", "nats-jetstream", "kinesis"}


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog() -> BrokerCatalog:
    loaded = datasets.load("brokers")
    assert isinstance(loaded, BrokerCatalog)
    return loaded


def write(tmp_path: Path, document: dict) -> Path:
    path = tmp_path / "brokers.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_dataset_covers_the_required_brokers(catalog: BrokerCatalog) -> None:
    assert {b.id for b in catalog.brokers} >= REQUIRED_BROKERS


def test_every_fact_is_sourced_dated_and_graded(catalog: BrokerCatalog) -> None:
    for broker in catalog.brokers:
        for field in CAPABILITIES:
            fact = getattr(broker.facts, field)
            assert fact.sources, (broker.id, field)
            assert fact.reviewed <= dt.date.today()
            assert fact.confidence in {"high", "medium", "low"}, (broker.id, field)
            assert all(str(s.url).startswith("https://") for s in fact.sources)


def test_linked_pages_exist(catalog: BrokerCatalog) -> None:
    for broker in catalog.brokers:
        if broker.page:
            assert (Path("docs") / broker.page).is_file(), broker.page


def test_missing_capability_names_file_record_and_field(tmp_path: Path, raw: dict) -> None:
    broken = copy.deepcopy(raw)
    del broken["brokers"][1]["facts"]["dlq"]
    with pytest.raises(ValueError) as failure:
        load_model(write(tmp_path, broken), BrokerCatalog)
    message = str(failure.value)
    assert "'pubsub' (brokers[1])" in message and "facts.dlq" in message


def test_unsourced_fact_and_unknown_key_are_rejected(tmp_path: Path, raw: dict) -> None:
    broken = copy.deepcopy(raw)
    broken["brokers"][0]["facts"]["ordering"]["sources"] = []
    broken["brokers"][0]["facts"]["latency"] = broken["brokers"][0]["facts"]["ordering"]
    with pytest.raises(ValueError) as failure:
        load_model(write(tmp_path, broken), BrokerCatalog)
    message = str(failure.value)
    assert "facts.ordering.sources" in message
    assert "facts.latency" in message and "unknown key" in message


def test_duplicate_ids_are_rejected(tmp_path: Path, raw: dict) -> None:
    broken = copy.deepcopy(raw)
    broken["brokers"][1]["id"] = broken["brokers"][0]["id"]
    with pytest.raises(ValueError, match="duplicate broker id 'kafka'"):
        load_model(write(tmp_path, broken), BrokerCatalog)


def test_future_review_date_is_rejected(tmp_path: Path, raw: dict) -> None:
    broken = copy.deepcopy(raw)
    broken["brokers"][0]["facts"]["delivery"]["reviewed"] = (
        dt.date.today() + dt.timedelta(days=2)
    ).isoformat()
    with pytest.raises(ValueError, match="in the future"):
        load_model(write(tmp_path, broken), BrokerCatalog)


class TableShape(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.headers: list[str] = []
        self.rows = 0
        self._in_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if tag == "tr":
            self.rows += 1
        self._in_th = tag == "th" and attributes.get("scope") == "col"

    def handle_data(self, data: str) -> None:
        if self._in_th:
            self.headers.append(data)
            self._in_th = False


def test_comparison_table_shape_and_links(catalog: BrokerCatalog) -> None:
    html = broker_comparison(catalog, "events/broker-comparison/")
    shape = TableShape()
    shape.feed(html)
    assert shape.headers == ["Capability", *[b.name for b in catalog.brokers]]
    assert shape.rows == 1 + 1 + len(CAPABILITIES)  # header, "what it is", capabilities
    assert "broker-comparison" in shape.ids and "capability-max-message-size" in shape.ids
    # Brokers with a page link to it relative to the comparison page.
    assert 'href="../../events/kafka/"' in html
    assert "10 MB" in html and "1 MB per PutEvents entry" in html


def test_data_is_escaped(catalog: BrokerCatalog) -> None:
    hostile = catalog.model_copy(deep=True)
    kafka = hostile.brokers[0]
    object.__setattr__(kafka, "name", '<script>alert("x")</script>')
    html = broker_comparison(hostile)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_broker_facts_box(catalog: BrokerCatalog) -> None:
    html = broker_facts(catalog, "pubsub", "events/pubsub/")
    assert 'id="broker-pubsub-facts"' in html
    assert html.count('<th scope="row">') == len(CAPABILITIES)
    assert 'href="../../events/broker-comparison/"' in html
    with pytest.raises(KeyError):
        broker_facts(catalog, "activemq")


def test_csv_has_one_row_per_broker_and_capability(catalog: BrokerCatalog) -> None:
    text = publish.to_csv(catalog)
    lines = text.strip().splitlines()
    assert lines[0].startswith("broker_id,broker,capability_id,capability,value")
    assert len(lines) == 1 + len(catalog.brokers) * len(CAPABILITIES)
    assert '"Google Cloud Pub/Sub"' in text or "Google Cloud Pub/Sub" in text
