"""Look-ups in ``pricing.yaml``: approaches, and list prices for the iPaaS matrix.

Prices are written once, in ``macros/data/pricing.yaml``, loaded with the rest
of the site data (:func:`macros.datasets.load_site_data`) and passed in here.
"""

from __future__ import annotations

from macros.loader import DataError
from macros.models.common import Fact
from macros.models.pricing import Approach, PricingCatalog


class UnknownApproachError(DataError):
    """An approach or platform id is not in ``pricing.yaml``."""


def approach(approach_id: str, pricing: PricingCatalog) -> Approach:
    """Look up one approach by id.

    Args:
        approach_id: For example ``"zapier"`` or ``"custom-code"``.
        pricing: The catalogue to search.

    Returns:
        The approach record.

    Raises:
        UnknownApproachError: No approach has that id; the message lists the known ids.
    """
    for entry in pricing.approaches:
        if entry.id == approach_id:
            return entry
    known = ", ".join(a.id for a in pricing.approaches)
    raise UnknownApproachError(f"unknown approach id {approach_id!r} in pricing.yaml (known: {known})")


def list_price_fact(platform_id: str, pricing: PricingCatalog) -> Fact:
    """Return the sourced list or entry price summary of a platform.

    The value is text such as ``"Professional from $19.99/month ..."`` or
    ``"Quote only (...)"``, with its sources, review date, confidence and
    estimate flag, ready for :func:`macros.html.fact_value`.

    Args:
        platform_id: A platform id such as ``"workato"`` or ``"logic-apps"``.
        pricing: The catalogue to read.

    Returns:
        The list price fact.

    Raises:
        UnknownApproachError: The id is unknown, or the approach has no list
            price (self-run approaches such as ``custom-code``).
    """
    entry = approach(platform_id, pricing)
    if entry.list_price is None:
        with_price = ", ".join(a.id for a in pricing.approaches if a.list_price)
        raise UnknownApproachError(
            f"approach {platform_id!r} has no list price in pricing.yaml (platforms with one: {with_price})"
        )
    return entry.list_price
