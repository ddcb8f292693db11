"""Every content page declares description, reviewed and sources."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from macros.models.common import ReviewDate, Source, StrictModel

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md"))


class PageMeta(StrictModel):
    """The front matter every content page must have (other keys are allowed)."""

    model_config = {**StrictModel.model_config, "extra": "allow"}
    description: str
    reviewed: ReviewDate
    sources: list[Source]


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    return yaml.safe_load(text.split("---\n", 2)[1]) or {}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_declares_description_reviewed_and_sources(page: Path) -> None:
    meta = front_matter(page)
    try:
        parsed = PageMeta.model_validate(meta)
    except ValidationError as exc:
        pytest.fail(f"{page.relative_to(DOCS)}: front matter invalid:\n{exc}", pytrace=False)
    assert 50 <= len(parsed.description) <= 300, "description should be one or two sentences"
    assert parsed.sources, "at least one source"
    assert isinstance(parsed.reviewed, dt.date)


def test_a_page_without_review_fields_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "bad.md"
    page.write_text(
        "---\ntitle: x\ndescription: A description that is long enough to pass the check.\n---\n# x\n"
    )
    with pytest.raises(ValidationError) as caught:
        PageMeta.model_validate(front_matter(page))
    missing = {e["loc"][0] for e in caught.value.errors()}
    assert missing == {"reviewed", "sources"}
