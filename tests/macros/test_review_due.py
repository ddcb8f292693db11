"""The reviews-due view: facts and pages reviewed more than nine months before the build."""

from __future__ import annotations

import datetime as dt

from macros import datasets
from macros.accuracy_macros import pages_front_matter
from macros.review_due import DueItem, due_items, front_matter, months_before, review_due_table

TODAY = dt.date(2026, 11, 30)


def sourced(reviewed: str) -> dict:
    return {"value": 1, "sources": [{"title": "t", "url": "https://x"}], "reviewed": reviewed}


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    assert months_before(TODAY, 9) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 5, 31), 3) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 1) == dt.date(2025, 12, 15)
    assert months_before(dt.date(2024, 12, 31), 10) == dt.date(2024, 2, 29)


def test_only_reviews_older_than_nine_months_are_due() -> None:
    data = {
        "brokers": {
            "brokers": [
                {"id": "old", "facts": {"size": sourced("2026-02-27"), "order": sourced("2026-02-28")}},
            ]
        }
    }
    pages = {"events/a.md": {"reviewed": dt.date(2025, 1, 1)}, "events/b.md": {"reviewed": "2026-11-01"}}
    items = due_items(data, pages, TODAY)
    assert items == [
        DueItem(dt.date(2025, 1, 1), "events/a.md", page="events/a.md"),
        DueItem(dt.date(2026, 2, 27), "brokers · old · facts.size"),
    ]


def test_table_links_pages_and_says_when_nothing_is_due() -> None:
    item = DueItem(dt.date(2025, 1, 1), "events/a.md", page="events/a.md")
    html = review_due_table([item], TODAY, "contributing/")
    assert 'href="../events/a/"' in html and 'datetime="2025-01-01"' in html and 'id="review-due"' in html
    empty = review_due_table([], TODAY)
    assert "Nothing is due" in empty and "2026-02-28" in empty


def test_front_matter_parsing() -> None:
    assert front_matter("---\ntitle: A\nreviewed: 2026-11-30\n---\n# A\n") == {
        "title": "A",
        "reviewed": dt.date(2026, 11, 30),
    }
    assert front_matter("# no front matter\n") == {}
    assert front_matter("---\nunterminated: true\n") == {}


def test_site_data_and_pages_are_read_and_none_is_due_today() -> None:
    dumped = {
        name: model.model_dump(mode="json")
        for name, model in ((e.name, datasets.load(e.name)) for e in datasets.DATASETS)
    }
    pages = pages_front_matter()
    assert "reference/changelog.md" in pages
    assert due_items(dumped, pages, TODAY) == []
    # Two years on, everything reviewed in November 2026 is due.
    later = due_items(dumped, pages, dt.date(2028, 11, 30))
    assert any(i.where.startswith("brokers · eventbridge") for i in later)
    assert any(i.page == "events/kafka.md" for i in later)
