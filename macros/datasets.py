"""The site's data: which YAML file holds what, its schema, and the loaded whole.

Each dataset lives in ``macros/data/<name>.yaml``, is validated by its model
when the build starts, and is published as ``/data/<name>.json`` and
``/data/<name>.csv``. :func:`load_site_data` reads every file once, checks the
rules that span files (:mod:`macros.cross_checks`) and returns one typed
:class:`SiteData`, which ``define_env`` hands to the renderers.

To add a dataset, write its model in ``macros/models/``, add one
:class:`Dataset` entry to :data:`DATASETS` and a field of the same name to
:class:`SiteData`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from macros.cross_checks import PageLinks, check_references, join_list_prices
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

DOCS_DIR = (Path(__file__).parent.parent / "docs").resolve()
"""The site's pages, which data records link to."""


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


@dataclass(frozen=True)
class SiteData:
    """Every dataset, validated alone and together; one field per dataset.

    The iPaaS matrix holds its list prices, joined from ``pricing.yaml``.

    Attributes:
        patterns: ``patterns.yaml``.
        glossary: ``glossary.yaml``.
        pricing: ``pricing.yaml``.
        connectors: ``connectors.yaml``.
        ipaas: ``ipaas.yaml``, with the list prices of ``pricing.yaml``.
        brokers: ``brokers.yaml``.
        reverse_etl: ``reverse_etl.yaml``.
        field_mappings: ``field_mappings.yaml``.
        security_tiers: ``security_tiers.yaml``.
    """

    patterns: PatternCatalog
    glossary: Glossary
    pricing: PricingCatalog
    connectors: ConnectorSheet
    ipaas: IpaasMatrix
    brokers: BrokerCatalog
    reverse_etl: ReverseEtlComparison
    field_mappings: FieldMappingTable
    security_tiers: SecurityTiers

    def dataset(self, name: str) -> BaseModel:
        """Return one dataset by its registry name.

        Args:
            name: A name from :data:`DATASETS`.

        Returns:
            The validated dataset.

        Raises:
            DataError: No dataset has that name.
        """
        return getattr(self, dataset(name).name)


def load_site_data(data_dir: Path = DATA_DIR, docs_dir: Path | None = DOCS_DIR) -> SiteData:
    """Load every dataset, check the rules that span files, and join them.

    Args:
        data_dir: Folder of the YAML files.
        docs_dir: Folder of the pages that records link to (``page``,
            ``see``); ``None`` skips that check.

    Returns:
        The site's data.

    Raises:
        DataError: At least one file is invalid, or a cross-file rule is
            broken; the message lists every problem, each naming file,
            record and field.
    """
    loaded: dict[str, BaseModel] = {}
    problems: list[str] = []
    for entry in DATASETS:
        try:
            loaded[entry.name] = load_model(data_dir / f"{entry.name}.yaml", entry.model)
        except DataError as exc:
            problems.append(str(exc))
    if problems:
        raise DataError("invalid data files:\n" + "\n".join(problems))
    site = SiteData(**loaded)  # type: ignore[arg-type]
    problems = check_references(
        data_dir,
        docs_dir,
        pricing=site.pricing,
        ipaas=site.ipaas,
        links=[
            PageLinks("patterns", "patterns", "page", [(p.id, p.page) for p in site.patterns.patterns]),
            PageLinks("ipaas", "platforms", "page", [(p.id, p.page) for p in site.ipaas.platforms]),
            PageLinks(
                "connectors", "connectors", "page", [(c.id, c.page) for c in site.connectors.connectors]
            ),
            PageLinks("brokers", "brokers", "page", [(b.id, b.page) for b in site.brokers.brokers]),
            PageLinks("glossary", "terms", "see", [(t.term, t.see) for t in site.glossary.terms]),
        ],
    )
    if problems:
        raise DataError("data files disagree:\n" + "\n".join(problems))
    return replace(site, ipaas=join_list_prices(site.ipaas, site.pricing))


@cache
def site_data(docs_dir: Path = DOCS_DIR) -> SiteData:
    """The site's data from ``macros/data``, loaded once per process (or rebuild).

    ``define_env`` and the download hook both call this, so a build reads the
    files once.

    Args:
        docs_dir: Folder of the pages that records link to (resolved path).

    Returns:
        The validated, joined site data.
    """
    return load_site_data(docs_dir=docs_dir)


def load(name: str) -> BaseModel:
    """Return one dataset of :func:`site_data` (for the download hook and tests).

    Args:
        name: The dataset name.

    Returns:
        The validated dataset.
    """
    return site_data().dataset(name)
