"""MkDocs hook: publish the facts changelog as an Atom feed at ``/changelog.xml``.

The feed is added as a generated file, so ``mkdocs serve`` serves it and pages
can link to it. Loading and writing live in :mod:`macros.changelog` and
:mod:`macros.changelog_render`; this file only adapts them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros import changelog, changelog_render  # noqa: E402


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the changelog feed to the site's files."""
    changelog.load.cache_clear()
    feed = changelog_render.atom_feed(changelog.load(), config.site_url or "/", site_name=config.site_name)
    files.append(File.generated(config, changelog_render.FEED_PATH, content=feed))
    return files
