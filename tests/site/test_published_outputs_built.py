"""The built site serves the changelog feed, schemas, skill bundle, llms.txt and page Markdown."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from macros import changelog, datasets

pytestmark = pytest.mark.slow
ATOM = "{http://www.w3.org/2005/Atom}"


def test_llms_txt_lists_pages_with_descriptions(site_dir: Path) -> None:
    text = (site_dir / "llms.txt").read_text(encoding="utf-8")
    assert text.startswith("# Integration Patterns\n")
    assert "## Start here" in text and "## Events" in text
    assert "reference/changelog/index.md): Every correction of a sourced figure" in text
    links = [line for line in text.splitlines() if line.startswith("- [")]
    assert len(links) > 50 and all("): " in line for line in links)


def test_page_markdown_sits_beside_its_html_with_the_tables_rendered(site_dir: Path) -> None:
    markdown = (site_dir / "events" / "broker-comparison" / "index.md").read_text(encoding="utf-8")
    assert "1 MB per PutEvents entry" in markdown and "{{" not in markdown
    full = (site_dir / "llms-full.txt").read_text(encoding="utf-8")
    assert "Virtual Private Workato" in full and "300,000 ms" in full


def test_changelog_page_and_feed(site_dir: Path) -> None:
    log = changelog.load()
    feed = ET.parse(site_dir / "changelog.xml").getroot()
    assert len(feed.findall(f"{ATOM}entry")) == len(log.changes)
    html = (site_dir / "reference" / "changelog" / "index.html").read_text(encoding="utf-8")
    assert html.count('<tr id="change-') == len(log.changes)
    assert 'href="../../changelog.xml"' in html


def test_schemas_and_skill_bundle_are_published_and_linked(site_dir: Path) -> None:
    html = (site_dir / "reference" / "data" / "index.html").read_text(encoding="utf-8")
    for entry in datasets.DATASETS:
        schema = json.loads((site_dir / "data" / f"{entry.name}.schema.json").read_text(encoding="utf-8"))
        assert schema["title"] == entry.title
        assert f'href="../../data/{entry.name}.schema.json"' in html
    assert 'href="../../data/integration-patterns-skill.zip"' in html
    with zipfile.ZipFile(site_dir / "data" / "integration-patterns-skill.zip") as archive:
        assert "integration-patterns/SKILL.md" in archive.namelist()


def test_reviews_due_and_corrected_pattern_link(site_dir: Path) -> None:
    assert "Nothing is due" in (site_dir / "contributing" / "index.html").read_text(encoding="utf-8")
    matrix = (site_dir / "patterns" / "choose-a-pattern" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../webhooks/receivers/"' in matrix
