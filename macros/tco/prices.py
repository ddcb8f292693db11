"""Access to ``pricing.yaml``: approaches, and list prices for the iPaaS matrix.

Prices are written once, in ``macros/data/pricing.yaml``. Other sections (the
iPaaS matrix) call :func:`list_price_fact` instead of repeating a figure.
"""

from __future__ import annotations

from macros import datasets
from macros.loader import DataError
from macros.models.common import Fact
from macros.models.pricing import Approach, PricingCatalog


class UnknownApproachError(DataError):
    """An approach or platform id is not in ``pricing.yaml``."""


def catalog() -> PricingCatalog:
    """Load the validated pricing dataset (cached by the dataset registry).

    Returns:
        The whole ``pricing.yaml`` file.
    """
    loaded = datasets.load("pricing")
    assert isinstance(loaded, PricingCatalog)
    return loaded


def approach(approach_id: str, pricing: PricingCatalog | None = None) -> Approach:
    """Look up one approach by id.

    Args:
        approach_id: For example ``"zapier"`` or ``"custom-code"``.
        pricing: The catalogue to search; defaults to ``pricing.yaml``.

    Returns:
        The approach record.

    Raises:
        UnknownApproachError: No approach has that id; the message lists the known ids.
    """
    pricing = pricing or catalog()
    for entry in pricing.approaches:
        if entry.id == approach_id:
            return entry
    known = ", ".join(a.id for a in pricing.approaches)
    raise UnknownApproachError(f"unknown approach id {approach_id!r} in pricing.yaml (known: {known})")


def list_price_fact(platform_id: str, pricing: PricingCatalog | None = None) -> Fact:
    """Return the sourced list or entry price summary of a platform.

    The value is text such as ``"Professional from $19.99/month ..."`` or
    ``"Quote only (...)"``, with its sources, review date, confidence and
    estimate flag, ready for :func:`macros.html.fact_value`.

    Args:
        platform_id: A platform id such as ``"workato"`` or ``"logic-apps"``.
        pricing: The catalogue to read; defaults to ``pricing.yaml``.

    Returns:
        The list price fact.

    Raises:
        UnknownApproachError: The id is unknown, or the approach has no list
            price (self-run approaches such as ``custom-code``).
    """
    entry = approach(platform_id, pricing)
    if entry.list_price is None:
        with_price = ", ".join(a.id for a in (pricing or catalog()).approaches if a.list_price)
        raise UnknownApproachError(
            f"approach {platform_id!r} has no list price in pricing.yaml (platforms with one: {with_price})"
        )
    return entry.list_price
