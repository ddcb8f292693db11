"""The tested-snippet pipeline: code on the site is included from tested files.

- every include target exists (file and named section);
- every snippet file is included by some page;
- no Python, SQL, JSON, YAML or TOML block is written inline in a page;
- every snippet module is imported by this test suite.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
INCLUDE = re.compile(r'^\s*-{1,3}8<-{1,3}\s+"([^"]+)"', re.M)
SECTION_START = re.compile(r"--8<--\s*\[start:([\w.-]+)\]")
SECTION_END = re.compile(r"--8<--\s*\[end:([\w.-]+)\]")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*\.?([\w+-]*)", re.M)
CODE_LANGUAGES = {"python", "py", "sql", "json", "yaml", "yml", "toml", "jsonc", "json5", "pycon"}
SNIPPET_SUFFIXES = {".py", ".sql", ".json", ".yaml", ".yml", ".toml"}


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def includes() -> list[tuple[Path, str]]:
    found = []
    for page in pages():
        for target in INCLUDE.findall(page.read_text(encoding="utf-8")):
            found.append((page, target))
    return found


def snippet_files() -> list[Path]:
    return sorted(
        p
        for p in SNIPPETS.rglob("*")
        if p.suffix in SNIPPET_SUFFIXES and p.name != "__init__.py" and "__pycache__" not in p.parts
    )


def sections(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    starts, ends = set(SECTION_START.findall(text)), set(SECTION_END.findall(text))
    assert starts == ends, f"{path}: unbalanced sections {starts ^ ends}"
    return starts


def test_pages_include_snippets() -> None:
    assert includes(), "no page includes a snippet"


@pytest.mark.parametrize(
    ("page", "target"), includes(), ids=lambda v: str(v) if isinstance(v, str) else v.name
)
def test_include_target_exists(page: Path, target: str) -> None:
    path, _, section = target.partition(":")
    file = SNIPPETS / path
    assert file.is_file(), f"{page.relative_to(DOCS)} includes missing file snippets/{path}"
    if section and not section.isdigit():
        assert section in sections(file), (
            f"{page.relative_to(DOCS)}: no section '{section}' in snippets/{path}"
        )


def test_every_snippet_file_is_included_by_a_page() -> None:
    included = {target.partition(":")[0] for _, target in includes()}
    orphans = [
        str(p.relative_to(SNIPPETS)) for p in snippet_files() if str(p.relative_to(SNIPPETS)) not in included
    ]
    assert not orphans, f"snippet files no page includes: {orphans}"


def test_no_inline_code_blocks_in_pages() -> None:
    offenders = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        lines = text.splitlines()
        in_fence: str | None = None
        for number, line in enumerate(lines, start=1):
            match = FENCE.match(line)
            if not match:
                continue
            marker = match.group(2)
            if in_fence is None:
                in_fence = marker
                lang = match.group(3).lower()
                body = next((ln.strip() for ln in lines[number:] if ln.strip()), "")
                if lang in CODE_LANGUAGES and not INCLUDE.match(body):
                    offenders.append(f"{page.relative_to(DOCS)}:{number} ({lang})")
            elif line.strip().startswith(in_fence[0] * 3) and len(line.strip()) >= len(in_fence):
                in_fence = None
    assert not offenders, f"inline code blocks (include a tested snippet instead): {offenders}"


def snippet_modules() -> list[str]:
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in SNIPPETS.rglob("*.py")
        if p.name != "__init__.py" and "__pycache__" not in p.parts
    )


# Modules that need something the import step cannot give them would be listed
# here with the reason; their behaviour tests still run them.
SKIP_IMPORT: dict[str, str] = {}


@pytest.mark.parametrize("module", snippet_modules())
def test_every_snippet_module_imports(module: str) -> None:
    if module in SKIP_IMPORT:
        pytest.skip(SKIP_IMPORT[module])
    imported = importlib.import_module(module)
    assert imported.__name__ == module


def test_every_snippet_module_has_a_behaviour_test() -> None:
    tests_root = ROOT / "tests" / "snippets"
    test_sources = "\n".join(p.read_text(encoding="utf-8") for p in tests_root.rglob("test_*.py"))
    untested = [m for m in snippet_modules() if m not in test_sources]
    assert not untested, f"snippet modules no behaviour test imports: {untested}"
