"""The registry of datasets: which YAML file holds what, and its schema.

Each dataset lives in ``macros/data/<name>.yaml``, is validated by its model
when the build starts, and is published as ``/data/<name>.json`` and
``/data/<name>.csv``. To add a dataset, write its model in ``macros/models/``
and add one :class:`Dataset` entry to :data:`DATASETS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from macros.loader import DataError, load_model
from macros.models.brokers import BrokerCatalog
from macros.models.connectors import ConnectorSheet
from macros.models.field_mappings import FieldMappingTable
from macros.models.glossary import Glossary
from macros.models.ipaas import IpaasMatrix
from macros.models.patterns import PatternCatalog
from macros.models.pricing import PricingCatalog
from macros.models.reverse_etl import ReverseEtlComparison
from macros.models.security_tiers import SecurityTiers

DATA_DIR = Path(__file__).parent / "data"
"""Folder holding every YAML dataset."""


@dataclass(frozen=True)
class Dataset:
    """One published dataset.

    Attributes:
        name: File stem and URL slug (``/data/<name>.json``).
        title: Human title shown on the downloads page.
        description: One sentence on what the dataset holds.
        model: Pydantic model of the whole file.
    """

    name: str
    title: str
    description: str
    model: type[BaseModel]

    @property
    def path(self) -> Path:
        """Path of the dataset's YAML file."""
        return DATA_DIR / f"{self.name}.yaml"


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "patterns",
        "Integration pattern decision matrix",
        "Integration patterns with latency, volume, complexity, guarantees and fit.",
        PatternCatalog,
    ),
    Dataset(
        "glossary",
        "Glossary",
        "Terms and abbreviations used across the site, with definitions.",
        Glossary,
    ),
    Dataset(
        "pricing",
        "iPaaS and ELT prices and TCO defaults",
        "List prices, usage schedules, licence estimates and effort defaults per approach, with sources.",
        PricingCatalog,
    ),
    Dataset(
        "connectors",
        "Connector cheat sheet",
        "Salesforce, NetSuite, Stripe, Workday, ServiceNow, HubSpot, Zendesk and Shopify on twelve facets "
        "(auth, limits, pagination, sync, deletes, webhooks...); one sourced, dated entry per pair.",
        ConnectorSheet,
    ),
    Dataset(
        "ipaas",
        "iPaaS comparison matrix",
        "Fourteen integration platforms compared on pricing, deployment, connectivity, engineering, "
        "governance, compliance and fit; one sourced, dated fact per cell.",
        IpaasMatrix,
    ),
    Dataset(
        "brokers",
        "Message broker capability comparison",
        "Kafka, Pub/Sub, EventBridge, Kinesis, RabbitMQ and NATS JetStream compared on ordering, retention, "
        "message size, delivery, dead-letter handling, consumer model, throughput and pricing units.",
        BrokerCatalog,
    ),
    Dataset(
        "reverse_etl",
        "Reverse ETL comparison",
        "Hightouch, Census (Fivetran Activations) and a custom build compared on sync modes, change "
        "detection, sources, destinations, rejected rows, pricing and limits; one sourced fact per cell.",
        ReverseEtlComparison,
    ),
    Dataset(
        "field_mappings",
        "Canonical customer field mappings",
        "Every field of the canonical customer model with its Salesforce and Stripe source field and "
        "transform, or the reason it is unmapped.",
        FieldMappingTable,
    ),
    Dataset(
        "security_tiers",
        "Security tiers",
        "What cloud-native, regulated and air-gapped environments allow an integration team to do.",
        SecurityTiers,
    ),
)
"""Every dataset the site publishes, in the order of the downloads page."""


def dataset(name: str) -> Dataset:
    """Look up a registered dataset by name.

    Args:
        name: The dataset name, for example ``"patterns"``.

    Returns:
        The registry entry.

    Raises:
        DataError: No dataset has that name.
    """
    for entry in DATASETS:
        if entry.name == name:
            return entry
    known = ", ".join(d.name for d in DATASETS)
    raise DataError(f"unknown dataset '{name}' (known: {known})")


@cache
def load(name: str) -> BaseModel:
    """Load and validate one dataset (cached for the life of the process).

    Args:
        name: The dataset name.

    Returns:
        The validated dataset.
    """
    entry = dataset(name)
    return load_model(entry.path, entry.model)


def load_all() -> dict[str, BaseModel]:
    """Load and validate every registered dataset.

    Returns:
        Dataset name to validated model.

    Raises:
        DataError: At least one dataset is invalid; the message lists the
            problems of every invalid file.
    """
    loaded: dict[str, BaseModel] = {}
    problems: list[str] = []
    for entry in DATASETS:
        try:
            loaded[entry.name] = load(entry.name)
        except DataError as exc:
            problems.append(str(exc))
    if problems:
        raise DataError("invalid data files:\n" + "\n".join(problems))
    return loaded
