"""Schema of the iPaaS comparison matrix.

The matrix is a grid of sourced facts: one row per platform, one column per
criterion, criteria grouped (pricing, deployment, connectivity...). Every cell
is a :class:`Cell`, a :class:`~macros.models.common.Fact` that may also carry
a ``tag`` from the criterion's list of options; tagged criteria become the
facet filters of the interactive matrix.

One criterion, the entry/list price, is not stored here: its cells come from
the price list the TCO calculator uses (``pricing.yaml``), so a price is kept
in one place only. Such a criterion is marked ``external: pricing``; the
loader joins the prices in (:func:`macros.cross_checks.join_list_prices`)
after checking that every platform has one. The schema itself reads no file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from macros.models.common import Fact, StrictModel

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""Lower-case, hyphenated identifier usable in URLs and HTML ids."""

PlatformId = Slug
"""Platform ids shared with the TCO calculator; an id without an approach in
``pricing.yaml`` is a cross-file error (:mod:`macros.cross_checks`)."""

NOT_PUBLISHED = "Not published"
"""The honest value of a figure the vendor does not publish."""


class Group(StrictModel):
    """A group of criteria, shown as one band of columns that can be hidden.

    Attributes:
        id: Stable identifier (also the URL value used to hide the group).
        name: Human name of the group.
    """

    id: Slug
    name: str


class Option(StrictModel):
    """One allowed value of a tagged criterion (a facet value).

    Attributes:
        id: Stable identifier used in URLs (``?edi=yes``).
        label: Text shown in the facet filter.
    """

    id: Slug
    label: str


class Criterion(StrictModel):
    """One column of the matrix.

    Attributes:
        id: Stable identifier; also the column's sort key in URLs.
        group: Id of the group the column belongs to.
        name: Column header.
        description: What the column means, in a sentence (abbreviations
            spelled out); shown in the key under the table.
        options: Allowed tags for the cells. When set, every cell carries one
            and the column becomes a facet filter, ordered as listed.
        numeric: The cell values are numbers (or "Not published") and sort
            numerically.
        external: Where the cells come from when not stored in this file.
    """

    id: Slug
    group: Slug
    name: str
    description: Annotated[str, Field(min_length=10)]
    options: list[Option] | None = None
    numeric: bool = False
    external: Literal["pricing"] | None = None


class Cell(Fact):
    """One cell: a sourced value, optionally tagged with a facet option.

    Attributes:
        tag: Option id from the criterion's ``options``.
        sort_value: A number to sort by when the value is text (the list
            price normalised to US dollars a month); set for external cells only.
    """

    tag: Slug | None = None
    sort_value: float | None = None


class Platform(StrictModel):
    """One row of the matrix.

    Attributes:
        id: Platform id shared with the TCO calculator.
        name: Product name as buyers know it.
        vendor: Company that sells it.
        page: Site-relative Markdown page about the platform.
        summary: One sentence: what it is.
        cells: Criterion id to cell, for every stored criterion.
    """

    id: PlatformId
    name: str
    vendor: str
    page: str
    summary: Annotated[str, Field(min_length=20)]
    cells: dict[str, Cell]


class IpaasMatrix(StrictModel):
    """The whole ``ipaas.yaml`` file.

    Attributes:
        groups: Criteria groups in display order.
        criteria: Columns in display order.
        platforms: Rows in default order.
        list_prices: Platform id to its entry/list price, joined from
            ``pricing.yaml`` when the site data is loaded (never written in
            ``ipaas.yaml``).
    """

    groups: Annotated[list[Group], Field(min_length=1)]
    criteria: Annotated[list[Criterion], Field(min_length=18)]
    platforms: Annotated[list[Platform], Field(min_length=12)]
    list_prices: dict[str, Cell] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _no_prices_in_file(cls, data: Any) -> Any:
        """Keep prices in ``pricing.yaml`` only."""
        if isinstance(data, dict) and "list_prices" in data:
            raise ValueError(
                "list prices live in pricing.yaml (approaches[].list_price); remove 'list_prices'"
            )
        return data

    @model_validator(mode="after")
    def _consistent(self) -> IpaasMatrix:
        """Check ids are unique and every platform fills exactly the stored criteria."""
        _unique("group", [g.id for g in self.groups])
        _unique("criterion", [c.id for c in self.criteria])
        _unique("platform", [p.id for p in self.platforms])
        group_ids = {g.id for g in self.groups}
        for criterion in self.criteria:
            if criterion.group not in group_ids:
                raise ValueError(f"criterion '{criterion.id}': unknown group '{criterion.group}'")
        stored = {c.id: c for c in self.criteria if c.external is None}
        for platform in self.platforms:
            got = set(platform.cells)
            unknown = sorted(got - set(stored))
            if unknown:
                raise ValueError(f"platform '{platform.id}': unknown criterion {', '.join(unknown)}")
            missing = sorted(set(stored) - got)
            if missing:
                raise ValueError(f"platform '{platform.id}': no cell for {', '.join(missing)}")
            for cid, cell in platform.cells.items():
                _check_cell(platform.id, stored[cid], cell)
        return self

    def criterion(self, criterion_id: str) -> Criterion:
        """Return the criterion with this id.

        Args:
            criterion_id: A criterion id.

        Returns:
            The criterion.

        Raises:
            KeyError: No criterion has that id.
        """
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def with_list_prices(self, prices: Mapping[str, Cell]) -> IpaasMatrix:
        """Return a copy holding the platforms' list prices.

        Args:
            prices: Platform id to its list price.

        Returns:
            The matrix with :attr:`list_prices` set.
        """
        return self.model_copy(update={"list_prices": dict(prices)})

    def cell(self, platform: Platform, criterion: Criterion) -> Cell:
        """Return one cell; list prices come from :attr:`list_prices`.

        Args:
            platform: The row.
            criterion: The column.

        Returns:
            The cell.

        Raises:
            KeyError: A list price is asked for but was never joined in
                (load the matrix with :func:`macros.datasets.load_site_data`).
        """
        if criterion.external == "pricing":
            try:
                return self.list_prices[platform.id]
            except KeyError:
                msg = f"no list price joined for platform '{platform.id}'; load it with the site data"
                raise KeyError(msg) from None
        return platform.cells[criterion.id]

    def csv_rows(self) -> list[dict[str, str]]:
        """One row per platform, one column per criterion (its value).

        Facet tags get their own ``<criterion> tag`` column, so a spreadsheet
        can filter on them; the review date and sources of each cell are in
        the JSON download.

        Returns:
            Flat rows for the CSV download.
        """
        rows = []
        for platform in self.platforms:
            row = {"id": platform.id, "platform": platform.name, "vendor": platform.vendor}
            for criterion in self.criteria:
                cell = self.cell(platform, criterion)
                row[criterion.name] = cell_text(cell)
                if criterion.options:
                    row[f"{criterion.name} (tag)"] = cell.tag or ""
            rows.append(row)
        return rows


def cell_text(cell: Fact) -> str:
    """Plain-text form of a cell's value, with its note and estimate flag.

    Args:
        cell: Any fact.

    Returns:
        Text such as ``"1200 (claimed, 2026) [estimate]"``.
    """
    value = cell.value
    text = ("Yes" if value else "No") if isinstance(value, bool) else str(value)
    if cell.note:
        text += f" ({cell.note})"
    if cell.estimate:
        text += " [estimate]"
    return text


def _unique(kind: str, ids: list[str]) -> None:
    """Raise when an id appears twice."""
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"duplicate {kind} id '{item}'")
        seen.add(item)


def _check_cell(platform_id: str, criterion: Criterion, cell: Cell) -> None:
    """Check a cell's tag against its criterion's options, and numeric values."""
    where = f"platform '{platform_id}', criterion '{criterion.id}'"
    if criterion.options:
        allowed = [o.id for o in criterion.options]
        if cell.tag not in allowed:
            raise ValueError(f"{where}: tag must be one of {', '.join(allowed)} (got {cell.tag!r})")
    elif cell.tag is not None:
        raise ValueError(f"{where}: this criterion has no options, so no tag is allowed")
    is_number = isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
    if criterion.numeric and cell.value != NOT_PUBLISHED and not is_number:
        raise ValueError(f"{where}: value must be a number or '{NOT_PUBLISHED}'")
