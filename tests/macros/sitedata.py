"""The site's data for tests: loaded once (as the build does), with lookups by id."""

from __future__ import annotations

from macros.datasets import site_data
from macros.models.common import Fact
from macros.models.pricing import Approach, PricingCatalog
from macros.tco import prices


def pricing() -> PricingCatalog:
    """The validated ``pricing.yaml``."""
    return site_data().pricing


def approach(approach_id: str) -> Approach:
    """One approach of ``pricing.yaml``."""
    return prices.approach(approach_id, pricing())


def list_price_fact(platform_id: str) -> Fact:
    """A platform's list price from ``pricing.yaml``."""
    return prices.list_price_fact(platform_id, pricing())
