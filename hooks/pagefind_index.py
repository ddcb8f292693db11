"""MkDocs hook: index the built site with Pagefind for the search box.

The theme's search box stays; its worker is ours
(``assets/javascripts/workers/search-pagefind.js``, named by
``overrides/partials/search-config.html``) and answers from Pagefind's chunked
index, which this hook writes to ``pagefind/`` after every build, including
each rebuild of ``mkdocs serve``. Nothing is downloaded at build time: the
``pagefind`` package ships the indexer binary.

The theme still fetches ``search/search_index.json`` on every page view, for
its settings (the highlighter on the target page uses its separator). Its
documents are not used, so the hook writes the settings with an empty document
list: a few hundred bytes instead of the whole site's text. Set
``KEEP_THEME_SEARCH_INDEX=1`` to keep the theme's full index (the search
benchmark scores the theme's own engine with it).

Measured choice: see ``benchmarks/results/search-quality-*.md``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

# What Pagefind reads of each page: the article, without the permalink signs,
# the provenance box (its source titles would match every vendor's name on
# every page) and the staleness notice.
PAGEFIND_ARGS = (
    "--root-selector",
    "article.md-content__inner",
    "--exclude-selectors",
    ".headerlink, .ip-provenance, .ip-stale",
    "--output-subdir",
    "pagefind",
)
KEEP_THEME_INDEX = "KEEP_THEME_SEARCH_INDEX"


def index_site(site_dir: Path) -> None:
    """Run Pagefind over ``site_dir``; raise PluginError with its output when it fails."""
    shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site_dir), *PAGEFIND_ARGS],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0 or not (site_dir / "pagefind" / "pagefind.js").exists():
        output = (done.stdout + done.stderr)[-4000:]
        raise PluginError(f"pagefind_index: Pagefind failed ({done.returncode}):\n{output}")


def keep_settings_only(index_file: Path) -> None:
    """Rewrite the theme's index with its settings and no documents."""
    if not index_file.exists():
        raise PluginError(f"pagefind_index: {index_file} not found; is the search plugin enabled?")
    data = json.loads(index_file.read_text(encoding="utf-8"))
    index_file.write_text(
        json.dumps({"config": data["config"], "docs": []}, separators=(",", ":")), encoding="utf-8"
    )


ARTICLE = '<article class="md-content__inner md-typeset">'


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    """Keep pages that opt out of search (front matter ``search: exclude: true``) out of Pagefind."""
    search = page.meta.get("search") if page.meta else None
    if isinstance(search, dict) and search.get("exclude"):
        return output.replace(ARTICLE, ARTICLE[:-1] + ' data-pagefind-ignore="all">', 1)
    return output


def on_post_build(config: MkDocsConfig) -> None:
    """Write the Pagefind index and slim the theme's index."""
    site_dir = Path(config.site_dir)
    index_site(site_dir)
    if os.environ.get(KEEP_THEME_INDEX) != "1":
        keep_settings_only(site_dir / "search" / "search_index.json")
