"""MkDocs hook: publish every dataset as ``/data/<name>.json`` and ``.csv``.

The files are added to the build as generated files, so they are served by
``mkdocs serve``, copied by ``mkdocs build`` and valid link targets for pages.
All serialisation lives in :mod:`macros.publish`; this file only adapts it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros import datasets, publish  # noqa: E402


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the JSON and CSV downloads of every dataset to the site's files."""
    for entry in datasets.DATASETS:
        model = datasets.load(entry.name)
        files.append(File.generated(config, f"data/{entry.name}.json", content=publish.to_json(model)))
        files.append(File.generated(config, f"data/{entry.name}.csv", content=publish.to_csv(model)))
    return files
