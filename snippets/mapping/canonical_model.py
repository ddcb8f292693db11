"""Map customers from Salesforce and Stripe into one canonical model.

Each source record either becomes a valid ``CanonicalCustomer`` or produces
one ``RecordError`` per problem, naming the system, the record and the
canonical field, so one bad record never stops the batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

# --8<-- [start:model]
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def _email(value: str | None) -> str | None:
    if value is not None and not EMAIL.match(value):
        raise ValueError("not an email address")
    return value.lower() if value else value


class CanonicalCustomer(BaseModel):
    """Version 2 of the customer every integration speaks."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    schema_version: Literal[2] = 2
    canonical_id: str | None = None  # assigned by the crosswalk, never by a source
    external_ids: dict[str, str] = Field(min_length=1)
    name: str = Field(min_length=2)
    email: Annotated[str | None, AfterValidator(_email)] = None
    customer_type: Literal["individual", "business"]
    country_code: str = Field(pattern=r"^[A-Z]{2}$")  # ISO 3166-1 alpha-2
    annual_revenue: Decimal | None = Field(default=None, ge=0)
    created_at: AwareDatetime
    updated_at: AwareDatetime | None = None


# --8<-- [end:model]

# --8<-- [start:mappings]
COUNTRY_NAMES = {"germany": "DE", "united states": "US", "france": "FR", "united kingdom": "GB"}


def _country(value: Any) -> Any:
    """Accept ISO codes as they are; translate the country names we know."""
    if isinstance(value, str) and len(value.strip()) != 2:
        return COUNTRY_NAMES.get(value.strip().lower(), value)
    return value.upper() if isinstance(value, str) else value


def _get(record: dict[str, Any], path: str) -> Any:
    """Read a dotted path such as ``address.country``; missing parts give None."""
    value: Any = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


# canonical field -> (source field, transform). Kept in step with the field
# mapping table on the page, which a test compares against these dictionaries.
SALESFORCE_ACCOUNT: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "external_ids": ("Id", lambda v: {"salesforce": v} if v else {}),
    "name": ("Name", lambda v: v),
    "customer_type": ("IsPersonAccount", lambda v: {True: "individual", False: "business"}.get(v, v)),
    "country_code": ("BillingCountry", _country),
    "annual_revenue": ("AnnualRevenue", lambda v: v),
    "created_at": ("CreatedDate", lambda v: v),
    "updated_at": ("LastModifiedDate", lambda v: v),
}
STRIPE_CUSTOMER: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "external_ids": ("id", lambda v: {"stripe": v} if v else {}),
    "name": ("name", lambda v: v),
    "email": ("email", lambda v: v),
    "customer_type": ("metadata.customer_type", lambda v: v),
    "country_code": ("address.country", _country),
    "created_at": ("created", lambda v: datetime.fromtimestamp(v, UTC) if isinstance(v, int) else v),
}
SYSTEMS = {"salesforce": (SALESFORCE_ACCOUNT, "Id"), "stripe": (STRIPE_CUSTOMER, "id")}
# --8<-- [end:mappings]


# --8<-- [start:map]
@dataclass(frozen=True)
class RecordError:
    """One problem with one source record, in canonical terms."""

    system: str
    source_id: str
    field: str
    message: str


@dataclass
class MappingResult:
    customers: list[CanonicalCustomer] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)


def map_records(system: str, records: Iterable[dict[str, Any]]) -> MappingResult:
    """Map every record; collect per-record, per-field errors instead of stopping."""
    mapping, id_field = SYSTEMS[system]
    result = MappingResult()
    for record in records:
        source_id = str(record.get(id_field) or "<no id>")
        draft = {target: transform(_get(record, path)) for target, (path, transform) in mapping.items()}
        draft = {k: v for k, v in draft.items() if v is not None}
        try:
            result.customers.append(CanonicalCustomer.model_validate(draft))
        except ValidationError as exc:
            for problem in exc.errors():
                where = ".".join(str(p) for p in problem["loc"]) or "(record)"
                result.errors.append(RecordError(system, source_id, where, problem["msg"]))
    return result


# --8<-- [end:map]


# --8<-- [start:upcast]
def upcast(payload: dict[str, Any]) -> CanonicalCustomer:
    """Read a stored customer of any version as the current version.

    Version 1 had a single ``source_id`` string like ``"salesforce:001..."`` and
    no ``schema_version`` field; version 2 keeps one id per system.
    """
    data = dict(payload)
    if data.get("schema_version", 1) == 1:
        system, _, source_id = data.pop("source_id").partition(":")
        data["external_ids"] = {system: source_id}
        data["schema_version"] = 2
    return CanonicalCustomer.model_validate(data)


# --8<-- [end:upcast]
