"""Rules that span data files, checked once when the site data is loaded.

A schema checks one file. The rules here need two: every platform of the
iPaaS matrix has a list price in ``pricing.yaml``, and every page a record
links to exists. Each problem is one line naming the file, the record and the
field, like the loader's messages::

    macros/data/ipaas.yaml: record 'zapier' (platforms[3]), field 'id':
    no approach with this id in macros/data/pricing.yaml
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from macros.models.ipaas import Cell, IpaasMatrix
from macros.models.pricing import Approach, PricingCatalog


@dataclass(frozen=True)
class PageLinks:
    """The page links of one dataset's records.

    Attributes:
        dataset: Dataset name (its file is ``<dataset>.yaml``).
        records: Key of the list holding the records (``platforms``).
        field: Field holding the link (``page``).
        links: Record name and its link (``None`` when the record has none),
            in file order.
    """

    dataset: str
    records: str
    field: str
    links: Sequence[tuple[str, str | None]]


def _where(data_dir: Path, dataset: str, name: str, records: str, index: int, field: str) -> str:
    """The start of a message: file, record and field."""
    return f"{data_dir / f'{dataset}.yaml'}: record '{name}' ({records}[{index}]), field '{field}'"


def list_price_problems(data_dir: Path, ipaas: IpaasMatrix, pricing: PricingCatalog) -> list[str]:
    """Check that every matrix platform has a list price in ``pricing.yaml``.

    Args:
        data_dir: Folder of the data files (for the messages).
        ipaas: The matrix.
        pricing: The price list.

    Returns:
        One message per platform without a list price.
    """
    if not any(c.external == "pricing" for c in ipaas.criteria):
        return []
    approaches = {a.id: a for a in pricing.approaches}
    pricing_file = data_dir / "pricing.yaml"
    problems = []
    for index, platform in enumerate(ipaas.platforms):
        entry = approaches.get(platform.id)
        if entry is None:
            where = _where(data_dir, "ipaas", platform.id, "platforms", index, "id")
            problems.append(
                f"{where}: no approach with this id in {pricing_file}, so the matrix has no price"
            )
        elif entry.list_price is None:
            position = pricing.approaches.index(entry)
            where = _where(data_dir, "pricing", entry.id, "approaches", position, "list_price")
            problems.append(f"{where}: missing; the iPaaS matrix shows it for platform '{platform.id}'")
    return problems


def page_problems(data_dir: Path, docs_dir: Path, links: Sequence[PageLinks]) -> list[str]:
    """Check that every page a record links to exists.

    Args:
        data_dir: Folder of the data files (for the messages).
        docs_dir: Folder of the pages.
        links: The links to check.

    Returns:
        One message per link to a missing page.
    """
    problems = []
    for group in links:
        for index, (name, target) in enumerate(group.links):
            if target is None:
                continue
            path = target.partition("#")[0]
            if not (docs_dir / path).is_file():
                where = _where(data_dir, group.dataset, name, group.records, index, group.field)
                problems.append(f"{where}: no page {path!r} under the docs folder")
    return problems


def check_references(
    data_dir: Path,
    docs_dir: Path | None,
    *,
    pricing: PricingCatalog,
    ipaas: IpaasMatrix,
    links: Sequence[PageLinks] = (),
) -> list[str]:
    """Run every cross-file rule.

    Args:
        data_dir: Folder of the data files (for the messages).
        docs_dir: Folder of the pages; ``None`` skips the page check.
        pricing: The price list.
        ipaas: The matrix.
        links: Page links of every dataset that has them.

    Returns:
        Every problem found, one line each; empty when the data agrees.
    """
    problems = list_price_problems(data_dir, ipaas, pricing)
    if docs_dir is not None:
        problems += page_problems(data_dir, docs_dir, links)
    return problems


def join_list_prices(ipaas: IpaasMatrix, pricing: PricingCatalog) -> IpaasMatrix:
    """Copy each platform's list price from the price list into the matrix.

    Call after :func:`check_references` found no problem.

    Args:
        ipaas: The matrix as read from ``ipaas.yaml``.
        pricing: The price list.

    Returns:
        The matrix with :attr:`~macros.models.ipaas.IpaasMatrix.list_prices` set.
    """
    if not any(c.external == "pricing" for c in ipaas.criteria):
        return ipaas
    approaches = {a.id: a for a in pricing.approaches}
    prices = {}
    for platform in ipaas.platforms:
        entry = approaches[platform.id]
        if entry.list_price is not None:
            prices[platform.id] = list_price_cell(entry)
    return ipaas.with_list_prices(prices)


def list_price_cell(entry: Approach) -> Cell:
    """A matrix cell for an approach's list price, with its monthly US-dollar sort key.

    Prices with no monthly figure (quote only, hourly packs) get no sort key and
    a note saying they sort last; a price in another currency says how it was
    converted and cites the rate's source.

    Args:
        entry: A price-list entry with a ``list_price``.

    Returns:
        The price as a cell (no tag).
    """
    fact = entry.list_price
    cell = fact.model_dump()
    monthly = entry.list_price_monthly_usd
    if monthly is None:
        last = "No monthly figure to compare: sorted last."
        cell["note"] = " ".join(filter(None, [cell.get("note"), last]))
        return Cell.model_validate(cell)
    if monthly.currency != "USD":
        converted = (
            f"Sorted as about US${monthly.value:,.2f} a month: {monthly.amount:,.2f} {monthly.currency}"
            f" at {monthly.usd_rate} USD per {monthly.currency}, rate of {monthly.rate_date.isoformat()}."
        )
        cell["note"] = " ".join(filter(None, [cell.get("note"), converted]))
        extra = [s.model_dump() for s in monthly.sources if s not in fact.sources]
        cell["sources"] = [*cell["sources"], *extra]
    cell["sort_value"] = monthly.value
    return Cell.model_validate(cell)
