"""The evaluation set is well formed and points at pages and sections that exist."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from markdown.extensions.toc import slugify

from tests.search.evaluation_set import Group, MustFind, Query, load_must_find, load_queries, rank, score

DOCS = Path(__file__).resolve().parents[2] / "docs"
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*(?:\{[^}]*#([\w-]+)[^}]*\})?\s*$", re.MULTILINE)


def source_of(path: str) -> Path:
    """The Markdown file behind a site path such as ``connectors/`` or ``cdc/debezium/``."""
    stem = path.rstrip("/")
    for candidate in (DOCS / f"{stem}.md", DOCS / stem / "index.md"):
        if stem and candidate.exists():
            return candidate
    return DOCS / "index.md" if not stem else DOCS / f"{stem}.md"


def heading_ids(markdown_file: Path) -> set[str]:
    """Ids of the headings in a page, as the toc extension derives them."""
    text = markdown_file.read_text(encoding="utf-8")
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    ids = set()
    for title, explicit in HEADING.findall(text):
        plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title.replace("`", ""))
        ids.add(explicit or slugify(plain, "-"))
    return ids


QUERIES = load_queries()


def test_the_set_is_large_and_covers_every_kind() -> None:
    kinds = Counter(query.kind for query in QUERIES)
    assert len(QUERIES) >= 120
    assert kinds["typo"] >= 10
    assert set(kinds) == {"identifier", "error", "concept", "vendor", "glossary", "table", "typo", "question"}


@pytest.mark.parametrize("query", QUERIES, ids=lambda query: query.q)
def test_expected_pages_and_sections_exist(query: Query) -> None:
    for path in (query.page, *query.also):
        assert source_of(path).exists(), f"{query.q!r}: no page for {path}"
    if query.anchor:
        ids = heading_ids(source_of(query.page))
        assert query.anchor in ids, f"{query.q!r}: no heading #{query.anchor} on {query.page}"


def test_a_bad_record_is_reported_by_query_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "queries.yaml"
    records = "\n".join(f"  - {{q: query {n}, page: a/, kind: concept}}" for n in range(120))
    bad.write_text("queries:\n  - {q: Retry-After, page: /connectors, kind: header}\n" + records)
    with pytest.raises(ValueError) as error:
        load_queries(bad)
    message = str(error.value)
    assert "query 'Retry-After' (queries[0]), field page" in message
    assert "field kind" in message


def test_rank_needs_the_section_when_one_is_named() -> None:
    query = Query(q="nextRecordsUrl", page="connectors/salesforce/", anchor="pagination", kind="identifier")
    without = [Group("connectors/", ()), Group("connectors/salesforce/", ("gotchas",))]
    with_section = [*without[:1], Group("connectors/salesforce/", ("pagination",))]
    assert rank(query, without) is None
    assert rank(query, with_section) == 2
    assert score([1, 2, None, 4]) == score([1, 2, None, 4])
    assert score([1, 2, None, 4]).top3 == 0.5
    assert score([1, 2, None, 4]).mrr == pytest.approx((1 + 0.5 + 0.25) / 4)


MUST_FIND = load_must_find()


@pytest.mark.parametrize("must", MUST_FIND, ids=lambda must: must.q)
def test_must_find_pages_exist(must: MustFind) -> None:
    for path in must.pages:
        assert source_of(path).exists(), f"{must.q!r}: no page for {path}"


def test_must_find_counts_distinct_result_pages_up_to_its_limit() -> None:
    must = MustFind(q="outbox", pages=("reliability/transactional-outbox/",), within=3)
    groups = [Group(f"p{n}/", ()) for n in range(3)] + [Group("reliability/transactional-outbox/", ())]
    assert not must.found(groups)
    assert must.found(groups[1:])


def test_a_bad_must_find_record_is_reported_by_query_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "must_find.yaml"
    bad.write_text("must_find:\n  - {q: outbox, pages: [reliability/transactional-outbox/], within: 4}\n")
    with pytest.raises(ValueError, match=r"must_find.yaml: query 'outbox' \(must_find\[0\]\), field within"):
        load_must_find(bad)
