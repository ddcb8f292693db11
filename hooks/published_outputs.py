"""MkDocs hook: the outputs people reuse, written at build time.

* ``/changelog.xml``: the facts changelog as an Atom feed;
* ``/data/<name>.schema.json``: the JSON Schema of each dataset download;
* ``/data/integration-patterns-skill.zip``: the assistant skill bundle;
* ``llms.txt`` sections: filled from the nav and each page's ``description``
  for the ``llmstxt`` plugin, which writes ``llms.txt``, ``llms-full.txt``
  and a Markdown copy beside each page;
* a ``data-widget="citation"`` marker on pages with the comparison matrix or
  the cheat sheet, so ``widgets.js`` loads ``citation.js`` there only.

Files are added as generated files, so ``mkdocs serve`` serves them and pages
can link to them. The content comes from pure modules under ``macros``; this
file only adapts them to MkDocs.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros import (  # noqa: E402
    changelog,
    changelog_render,
    dataset_schemas,
    datasets,
    llms_sections,
    review_due,
    skill_bundle,
)

log = logging.getLogger("mkdocs.hooks.published_outputs")
_serving = False


def on_startup(command: str, **_: object) -> None:
    """Note whether this is ``mkdocs serve``: it skips the Markdown copies of the pages."""
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Give the ``llmstxt`` plugin its page list: the nav, with each page's description.

    Converting every page to Markdown takes most of the build's time, so
    ``mkdocs serve`` (which rebuilds on every edit) leaves the list empty:
    ``mkdocs build`` writes the full ``llms.txt`` and the page copies.
    """
    plugin = config.plugins.get("llmstxt")
    if plugin is not None and _serving:
        log.info("llms.txt: mkdocs serve skips the Markdown copies of the pages; mkdocs build writes them")
        plugin.config.sections = {}
    elif plugin is not None and not plugin.config.sections:
        docs = Path(config.docs_dir)

        def describe(page: str) -> str:
            path = docs / page
            if not path.is_file():
                return ""
            return str(review_due.front_matter(path.read_text(encoding="utf-8")).get("description", ""))

        plugin.config.sections = llms_sections.nav_sections(config.nav or [], describe)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the changelog feed, the dataset schemas and the skill bundle."""
    site_url = config.site_url or ""
    changelog.load.cache_clear()
    feed = changelog_render.atom_feed(changelog.load(), site_url or "/", site_name=config.site_name)
    files.append(File.generated(config, changelog_render.FEED_PATH, content=feed))
    dumped = {}
    for entry in datasets.DATASETS:
        schema = dataset_schemas.to_text(dataset_schemas.json_schema(entry, site_url))
        files.append(File.generated(config, dataset_schemas.schema_path(entry.name), content=schema))
        dumped[entry.name] = datasets.load(entry.name).model_dump(mode="json")
    bundle_files = skill_bundle.bundle_files(dumped, site_url)
    bundle = skill_bundle.to_zip(bundle_files, skill_bundle.latest_review(dumped))
    files.append(File.generated(config, skill_bundle.ZIP_PATH, content=bundle))
    return files


CITABLE = ('data-widget="matrix"', 'data-widget="cheatsheet"')
"""Widgets whose facts get a "copy citation" action."""

CITATION_MARKER = '<div data-widget="citation" hidden></div>'


def on_page_content(html: str, page: Page, **_: object) -> str:
    """Mark pages holding citable facts, so the citation script loads there only."""
    if any(widget in html for widget in CITABLE) and CITATION_MARKER not in html:
        return html + "\n" + CITATION_MARKER
    return html
