"""Load the facts changelog and check it against the rest of the site.

The changelog is not a dataset of facts (it records how facts moved), so it
is loaded here rather than registered in :mod:`macros.datasets`. Its entries
must name a dataset that exists, or a page that exists.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from macros.datasets import DATA_DIR, DATASETS
from macros.loader import DataError, load_model
from macros.models.changelog import Changelog

CHANGELOG_FILE = DATA_DIR / "changelog.yaml"
"""The changelog's YAML file."""

DOCS_DIR = Path(__file__).resolve().parents[1] / "docs"
"""The site's pages, for entries about a page's prose."""

PAGE = "page"
"""The ``dataset`` value of an entry about a figure in a page's prose."""


def check(changelog: Changelog, file: Path = CHANGELOG_FILE, docs_dir: Path = DOCS_DIR) -> Changelog:
    """Check that every entry names a known dataset or an existing page.

    Args:
        changelog: The validated changelog.
        file: Its file, for messages.
        docs_dir: Folder of the site's pages.

    Returns:
        The changelog, unchanged.

    Raises:
        DataError: An entry names an unknown dataset or a missing page; the
            message names the file, the entry and the field.
    """
    known = {d.name for d in DATASETS}
    problems = []
    for index, change in enumerate(changelog.changes):
        where = f"{file}: change {index + 1} ({change.dataset} '{change.record}' {change.field})"
        if change.dataset == PAGE:
            if not (docs_dir / change.record).is_file():
                problems.append(f"{where}, field 'record': no page docs/{change.record}")
        elif change.dataset not in known:
            names = ", ".join(sorted(known | {PAGE}))
            problems.append(f"{where}, field 'dataset': unknown dataset (known: {names})")
    if problems:
        raise DataError("\n".join(problems))
    return changelog


@cache
def load(file: Path = CHANGELOG_FILE) -> Changelog:
    """Load, validate and check the changelog (cached for the process).

    Args:
        file: The YAML file to read.

    Returns:
        The checked changelog.
    """
    return check(load_model(file, Changelog), file)
