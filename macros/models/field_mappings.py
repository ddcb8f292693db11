"""Schema of the field mapping table for the canonical customer model."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator, model_validator

from macros.models.common import Source, Sourced, StrictModel, require_exact_keys

FieldName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
"""A canonical field name in snake_case, as in the pydantic model."""


class SourceSystem(StrictModel):
    """A system that feeds the canonical model.

    Attributes:
        id: Key used in each field's ``mappings``.
        name: Human name.
        object: The object or endpoint records come from.
        docs: The vendor's reference for that object.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    name: str
    object: str
    docs: Source


class Mapping(StrictModel):
    """How one system fills one canonical field, or why it cannot.

    Exactly one of ``source_field`` and ``unmapped`` is set.

    Attributes:
        source_field: Field (dotted path) in the source object.
        transform: What happens to the value on the way in.
        unmapped: Why the system has no value for this field.
    """

    source_field: str | None = None
    transform: str | None = None
    unmapped: str | None = None

    @model_validator(mode="after")
    def _mapped_or_explained(self) -> Mapping:
        """A mapping names its source field, or says why there is none; never both."""
        if (self.source_field is None) == (self.unmapped is None):
            raise ValueError("set either 'source_field' (with 'transform') or 'unmapped' (a reason)")
        if self.unmapped is not None and self.transform is not None:
            raise ValueError("an unmapped field has no transform")
        return self


class CanonicalField(Sourced):
    """One field of the canonical model and its mapping from every system.

    Attributes:
        id: The canonical field name.
        type: Its type in the canonical model, in words.
        required: Whether a record without it is rejected.
        description: What the field means.
        mappings: System id to its mapping.
    """

    id: FieldName
    type: str
    required: bool
    description: str
    mappings: dict[str, Mapping]


class FieldMappingTable(StrictModel):
    """The whole ``field_mappings.yaml`` file.

    Attributes:
        entity: The canonical entity the table describes.
        model_version: The canonical model version these mappings target.
        systems: The source systems (columns of the table).
        fields: The canonical fields (rows of the table).
    """

    entity: str
    model_version: Annotated[int, Field(ge=1)]
    systems: Annotated[list[SourceSystem], Field(min_length=1)]
    fields: Annotated[list[CanonicalField], Field(min_length=1)]

    @field_validator("fields")
    @classmethod
    def _every_system_accounted_for(
        cls, fields: list[CanonicalField], info: ValidationInfo
    ) -> list[CanonicalField]:
        """Each field says, for every system, how it maps or why it does not."""
        expected = {s.id for s in info.data.get("systems") or []}
        seen: set[str] = set()
        for item in fields:
            if item.id in seen:
                raise ValueError(f"field '{item.id}' appears twice")
            seen.add(item.id)
            require_exact_keys(
                f"field '{item.id}'", "mappings must cover every system", set(item.mappings), expected
            )
        return fields

    def csv_rows(self) -> list[dict[str, str]]:
        """One row per canonical field and system: the mapping table in long form."""
        rows = []
        for item in self.fields:
            for system in self.systems:
                mapping = item.mappings[system.id]
                rows.append(
                    {
                        "entity": self.entity,
                        "model_version": str(self.model_version),
                        "canonical_field": item.id,
                        "type": item.type,
                        "required": str(item.required).lower(),
                        "system": system.name,
                        "source_object": system.object,
                        "source_field": mapping.source_field or "",
                        "transform": mapping.transform or "",
                        "unmapped_reason": mapping.unmapped or "",
                        "reviewed": item.reviewed.isoformat(),
                    }
                )
        return rows
