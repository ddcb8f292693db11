"""Schema of the security tiers table: what an integration may do per environment tier."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from macros.models.common import Sourced, StrictModel, require_exact_keys

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""Lower-case, hyphenated identifier usable as an HTML anchor."""


class Tier(StrictModel):
    """One environment tier (a column of the table).

    Attributes:
        id: Key used in each capability's ``allowed``.
        name: Human name.
        summary: Who is in this tier, in one sentence.
    """

    id: Slug
    name: str
    summary: str


class Capability(Sourced):
    """One thing an integration team does, and how far each tier lets it go.

    Attributes:
        id: Stable identifier; also the row anchor (``#tier-<id>``).
        capability: The activity.
        allowed: Tier id to what that tier allows, in a few words.
    """

    id: Slug
    capability: str
    allowed: dict[str, str]


class SecurityTiers(StrictModel):
    """The whole ``security_tiers.yaml`` file.

    Attributes:
        tiers: The columns, from least to most restricted.
        capabilities: The rows.
    """

    tiers: Annotated[list[Tier], Field(min_length=2)]
    capabilities: Annotated[list[Capability], Field(min_length=1)]

    @field_validator("capabilities")
    @classmethod
    def _every_tier_answered(cls, capabilities: list[Capability], info: ValidationInfo) -> list[Capability]:
        """Each capability states what every tier allows."""
        expected = {t.id for t in info.data.get("tiers") or []}
        for capability in capabilities:
            require_exact_keys(
                f"capability '{capability.id}'",
                "allowed must cover every tier",
                set(capability.allowed),
                expected,
            )
        return capabilities
