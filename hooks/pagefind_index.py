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

Two more things the worker reads, both written here:

* API reference pages and the changelog are indexed at a lower weight
  (``data-pagefind-weight`` on their article), so they answer identifier
  queries without crowding out the guides that explain the same words.
* ``search/spelling.json``: the site's common words, most frequent first. The
  worker fetches it only when a query word appears in none of the results (a
  typo), and searches again with the nearest common word. Its size is capped,
  so it does not grow with the site.

Measured choice: see ``benchmarks/results/search-quality-*.md``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

# What Pagefind reads of each page: the article, without the permalink signs,
# the provenance box (its source titles would match every vendor's name on
# every page), the staleness notice, and the "source" link in each cell of the
# iPaaS matrix (marked ``data-search-exclude``): 434 repeats of one word that no
# reader searches for, downloaded by every query that lists the matrix. (The
# cheat sheet's "Sources:" lines stay: their titles, such as NetSuite's
# concurrency governance, help readers find a facet's row.)
PAGEFIND_ARGS = (
    "--root-selector",
    "article.md-content__inner",
    "--exclude-selectors",
    ".headerlink, .ip-provenance, .ip-stale, [data-search-exclude]",
)
KEEP_THEME_INDEX = "KEEP_THEME_SEARCH_INDEX"
# Index chunk size, in word locations per chunk (Pagefind's default: 20,000,
# about 33 KB a chunk here). Smaller chunks cut what a query of two or three
# words fetches (one chunk per word) from about 100 KB to about 25 KB, for a
# metadata file that grows from 1.0 to 1.6 KB. Pagefind 1.5 reads this from its
# environment; it is not in Pagefind's documentation and is named "unstable":
# if a later version drops it, chunks return to the default size (more bytes per
# query, nothing breaks). The search benchmark shows the effect. Measured
# 2026-11-30: 2,000 cuts a long question's index bytes by a third but moves one
# query out of the top 3 (which pages a word's prefix reaches depends on where
# chunks split) and grows the page list fetched at 10x by 4 KB; 4,000 stays.
CHUNK_SIZE_SETTING = ("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", "4000")


# Pagefind keeps every element id in the indexed text as an anchor in the
# page's fragment, with the element's text: the fragment a query downloads for
# each result it lists. The worker links to headings and table rows only, so
# the copy of the pages Pagefind reads keeps only those ids; the published
# pages keep all of theirs. The iPaaS matrix has an id on each of its ~470
# cells and headers: 74 KB of its 114 KB fragment, before compression.
KEPT_ANCHORS = ("h1", "h2", "h3", "h4", "h5", "h6", "tr")
_OTHER_ID = re.compile(rf'(<(?!(?:{"|".join(KEPT_ANCHORS)})[\s>])[a-zA-Z][\w-]*\b[^<>]*?)\s+id="[^"]*"')


def without_unused_anchors(html: str) -> str:
    """``html`` without the ids of elements other than headings and table rows."""
    return _OTHER_ID.sub(r"\1", html)


def index_site(site_dir: Path) -> None:
    """Run Pagefind over ``site_dir``; raise PluginError with its output when it fails.

    Pagefind reads a copy of the pages (``without_unused_anchors``) and writes
    its index to ``site_dir / "pagefind"``.
    """
    output_dir = site_dir / "pagefind"
    shutil.rmtree(output_dir, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="pagefind-pages-") as scratch:
        for html in site_dir.rglob("*.html"):
            relative = html.relative_to(site_dir)
            if relative.parts[0] == "pagefind":
                continue
            target = Path(scratch) / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(without_unused_anchors(html.read_text(encoding="utf-8")), encoding="utf-8")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pagefind",
                "--site",
                scratch,
                "--output-path",
                str(output_dir.resolve()),
                *PAGEFIND_ARGS,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, CHUNK_SIZE_SETTING[0]: CHUNK_SIZE_SETTING[1]},
        )
    if done.returncode != 0 or not (output_dir / "pagefind.js").exists():
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
# Pages whose words count at this weight (Pagefind's scale: body text 1, h2 6).
# Headings inside inherit it, so an API page's member headings do not outrank
# a guide's prose, and a changelog row that names a fact does not outrank the
# page that states it.
DEMOTED_PAGES = {"reference/api/": 0.5, "reference/changelog/": 0.5}

SPELLING_FILE = Path("search") / "spelling.json"
# The spelling list: words of 4+ letters on at least 2 pages, at most this many.
SPELLING_MAX_WORDS = 5000
_ARTICLE_TEXT = re.compile(r'<article class="md-content__inner md-typeset"([^>]*)>(.*?)</article>', re.S)
_NOT_TEXT = re.compile(r"<(script|style|svg)\b.*?</\1>|<[^>]+>|&\w+;|&#\d+;", re.S)
_WORD = re.compile(r"[^\W\d_]{4,24}")


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    """Mark pages for Pagefind: out of the index on ``search: exclude: true``, demoted under API paths."""
    search = page.meta.get("search") if page.meta else None
    if isinstance(search, dict) and search.get("exclude"):
        return output.replace(ARTICLE, ARTICLE[:-1] + ' data-pagefind-ignore="all">', 1)
    for prefix, weight in DEMOTED_PAGES.items():
        if page.url.startswith(prefix):
            return output.replace(ARTICLE, ARTICLE[:-1] + f' data-pagefind-weight="{weight}">', 1)
    return output


def spelling_words(site_dir: Path) -> list[str]:
    """Common words of the indexed articles, most frequent first (by pages they appear on)."""
    pages: Counter[str] = Counter()
    for html in site_dir.rglob("*.html"):
        if "pagefind" in html.relative_to(site_dir).parts:
            continue
        for attributes, body in _ARTICLE_TEXT.findall(html.read_text(encoding="utf-8")):
            if "data-pagefind-ignore" in attributes:
                continue
            pages.update({word.lower() for word in _WORD.findall(_NOT_TEXT.sub(" ", body))})
    common = [word for word, count in pages.items() if count >= 2]
    common.sort(key=lambda word: (-pages[word], word))
    return common[:SPELLING_MAX_WORDS]


def write_spelling(site_dir: Path) -> Path:
    """Write ``search/spelling.json`` for the worker's did-you-mean; returns its path."""
    target = site_dir / SPELLING_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(spelling_words(site_dir), separators=(",", ":")), encoding="utf-8")
    return target


def on_post_build(config: MkDocsConfig) -> None:
    """Write the Pagefind index and the spelling list, and slim the theme's index."""
    site_dir = Path(config.site_dir)
    index_site(site_dir)
    write_spelling(site_dir)
    if os.environ.get(KEEP_THEME_INDEX) != "1":
        keep_settings_only(site_dir / "search" / "search_index.json")
