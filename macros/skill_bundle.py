"""Generate the assistant skill bundle (``SKILL.md`` plus references) from the site's data.

The bundle gives an AI assistant the site's verified facts in the shape of a
"skill": a ``SKILL.md`` with the pattern decision matrix and pointers, and one
reference file per dataset in which every figure carries its source and
review date. It is rebuilt from the validated data on every build, so a
corrected figure reaches the bundle with the correction, never a stale copy.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from typing import Any

from macros.datasets import DATASETS
from macros.fact_diff import sourced_facts

BUNDLE = "integration-patterns"
"""Folder name inside the zip, and the skill's name."""

ZIP_PATH = "data/integration-patterns-skill.zip"
"""Where the build publishes the bundle, relative to the site root."""

META_KEYS = frozenset({"sources", "reviewed", "confidence", "estimate", "unverified"})
NAME_KEYS = ("name", "criterion", "term", "title")


def fact_text(fact: Mapping[str, Any]) -> str:
    """The reader-facing content of one sourced fact, on one line.

    Args:
        fact: A sourced mapping from the dumped data.

    Returns:
        The value with its note, a summary with its details, or the fact's own
        fields as ``key: value`` pairs.
    """
    if "value" in fact:
        text = str(fact["value"])
        return f"{text} ({fact['note']})" if fact.get("note") else text
    if "summary" in fact:
        details = fact.get("details") or []
        return " ".join([str(fact["summary"]), *(str(d) for d in details)])
    parts = []
    for key, value in fact.items():
        if key in META_KEYS or key == "id" or (isinstance(value, dict) and "sources" in value):
            continue
        if isinstance(value, list):
            value = "; ".join(
                ", ".join(f"{k} {w}" for k, w in v.items()) if isinstance(v, dict) else str(v)
                for v in value
                if not (isinstance(v, dict) and "sources" in v)
            )
        elif isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        if value not in ("", None):
            parts.append(f"{key}: {value}")
    return "; ".join(parts)


def provenance(fact: Mapping[str, Any]) -> str:
    """Sources, review date and confidence of a fact, as Markdown."""
    links = ", ".join(f"[{s['title']}]({s['url']})" for s in fact.get("sources", []))
    parts = [f"source: {links}", f"reviewed {fact.get('reviewed')}"]
    if fact.get("confidence"):
        parts.append(f"confidence {fact['confidence']}")
    if fact.get("estimate"):
        parts.append("estimate, not published by the vendor")
    if fact.get("unverified"):
        parts.append("unverified")
    return "; ".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _record_names(raw: Mapping[str, Any]) -> dict[str, str]:
    """Record id to a human name, for headings."""
    names = {}
    for value in raw.values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and "id" in item:
                    name = next((item[k] for k in NAME_KEYS if isinstance(item.get(k), str)), item["id"])
                    names[str(item["id"])] = str(name)
    return names


def reference_file(name: str, title: str, description: str, raw: Mapping[str, Any]) -> str:
    """One reference file: every sourced fact of a dataset, grouped by record.

    Args:
        name: The dataset name.
        title: Its human title.
        description: What it holds.
        raw: The dataset dumped as JSON-compatible data.

    Returns:
        Markdown. Each fact is one bullet:
        ``- `field`: text — source: [...](...); reviewed YYYY-MM-DD``.
    """
    names = _record_names(raw)
    lines = [
        f"# {title}",
        "",
        description,
        "",
        f"Dataset `{name}`; every line below is one sourced fact.",
        "",
    ]
    current = None
    for path, fact in sourced_facts(raw):
        record = path[1] if len(path) > 1 else name
        if record != current:
            current = record
            heading = names.get(record, record)
            lines += ["", f"## {heading}" + (f" (`{record}`)" if heading != record else ""), ""]
        field = ".".join(path[2:]) or "record"
        lines.append(f"- `{field}`: {_one_line(fact_text(fact))} — {provenance(fact)}")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def glossary_file(title: str, raw: Mapping[str, Any]) -> str:
    """The glossary as a definition list (terms carry no figures, so no sources)."""
    lines = [f"# {title}", ""]
    for term in raw.get("terms", []):
        expansion = f" ({term['expansion']})" if term.get("expansion") else ""
        lines.append(f"- **{term['term']}**{expansion}: {_one_line(term['definition'])}")
    return "\n".join(lines) + "\n"


def skill_md(data: Mapping[str, Mapping[str, Any]], site_url: str) -> str:
    """The bundle's ``SKILL.md``: when to use it, the decision matrix, and pointers.

    Args:
        data: Dataset name to dumped data.
        site_url: The site's base URL, for links back to the pages.

    Returns:
        Markdown with YAML front matter.
    """
    base = site_url.rstrip("/") + "/"
    lines = [
        "---",
        f"name: {BUNDLE}",
        "description: Sourced, dated facts for designing enterprise integrations: pattern choice, iPaaS "
        "comparison, connector limits, brokers, Reverse ETL, TCO inputs. Use when choosing an integration "
        "pattern or platform, or when you need a vendor limit with its source.",
        "---",
        "",
        "# Integration Patterns",
        "",
        f"Generated from the validated data of the Integration Patterns site ({base}). Every figure in the "
        "reference files carries its vendor source and the date a person last checked it; quote both. "
        "Figures marked `confidence low`, `estimate` or `unverified` were not confirmed on the vendor's "
        f"own page. Corrections are listed at {base}reference/changelog/ (feed: {base}changelog.xml).",
        "",
        "## Choose a pattern",
        "",
        "| Pattern | Latency | Volume | Complexity | Best for | Source, reviewed |",
        "|---|---|---|---|---|---|",
    ]
    for pattern in data.get("patterns", {}).get("patterns", []):
        first = pattern["sources"][0]
        cells = [
            pattern["name"],
            pattern["latency"],
            pattern["volume"],
            pattern["complexity"],
            _one_line(pattern["best_for"]),
            f"[{first['title']}]({first['url']}), {pattern['reviewed']}",
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    lines += ["", "## Reference files", ""]
    for d in DATASETS:
        if d.name in data:
            lines.append(f"- `references/{d.name}.md`: {d.title}. {d.description}")
    lines += ["", "## Pages", "", f"Full guides with tested code: {base} (also as Markdown: {base}llms.txt)."]
    return "\n".join(lines) + "\n"


def bundle_files(data: Mapping[str, Mapping[str, Any]], site_url: str) -> dict[str, str]:
    """Every file of the bundle, by path inside the zip.

    Args:
        data: Dataset name to dumped data.
        site_url: The site's base URL.

    Returns:
        Path to Markdown text.
    """
    files = {f"{BUNDLE}/SKILL.md": skill_md(data, site_url)}
    for d in DATASETS:
        if d.name in data:
            if d.name == "glossary":
                text = glossary_file(d.title, data[d.name])
            else:
                text = reference_file(d.name, d.title, d.description, data[d.name])
            files[f"{BUNDLE}/references/{d.name}.md"] = text
    return files


def latest_review(data: Mapping[str, Mapping[str, Any]]) -> dt.date:
    """The newest review date in the data (the bundle's timestamp, so builds are repeatable)."""
    dates = [
        dt.date.fromisoformat(str(fact["reviewed"]))
        for raw in data.values()
        for _, fact in sourced_facts(raw)
    ]
    return max(dates, default=dt.date(2026, 1, 1))


def to_zip(files: Mapping[str, str], when: dt.date) -> bytes:
    """Pack the files into a zip with fixed timestamps (the same input gives the same bytes).

    Args:
        files: Path to text.
        when: Timestamp given to every entry.

    Returns:
        The zip archive.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=(when.year, when.month, when.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[path])
    return buffer.getvalue()
