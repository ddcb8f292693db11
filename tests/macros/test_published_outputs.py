"""Outputs people reuse: dataset JSON Schemas, llms.txt sections and the skill bundle."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from macros import dataset_schemas, datasets, publish, skill_bundle
from macros.fact_diff import sourced_facts
from macros.llms_sections import HOME, nav_sections
from macros.review_due import front_matter

ROOT = Path(__file__).resolve().parents[2]
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@pytest.fixture(scope="module")
def dumped() -> dict[str, Any]:
    return {
        name: model.model_dump(mode="json")
        for name, model in ((e.name, datasets.load(e.name)) for e in datasets.DATASETS)
    }


@pytest.mark.parametrize("entry", datasets.DATASETS, ids=lambda d: d.name)
def test_every_download_validates_against_its_schema(entry: datasets.Dataset) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = dataset_schemas.json_schema(entry, "https://example.org/site/")
    assert schema["$schema"] == dataset_schemas.DRAFT
    assert schema["$id"] == f"https://example.org/site/data/{entry.name}.schema.json"
    assert schema["title"] == entry.title and schema["properties"]["generated"]["const"]
    jsonschema.Draft202012Validator.check_schema(schema)
    download = json.loads(publish.to_json(datasets.load(entry.name)))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(download))
    assert errors == [], errors[:1]
    broken = {**download, "surprise": 1}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken)), "unknown keys must be refused"


def test_schema_text_is_stable_json() -> None:
    entry = datasets.dataset("brokers")
    text = dataset_schemas.to_text(dataset_schemas.json_schema(entry))
    assert text.endswith("}\n") and "$id" not in json.loads(text)
    assert dataset_schemas.schema_path("brokers") == "data/brokers.schema.json"


def test_nav_sections_group_pages_with_their_descriptions() -> None:
    nav = [
        {"Home": "index.md"},
        {"Events": ["events/index.md", {"Kafka": "events/kafka.md"}, {"More": [{"X": "events/x.md"}]}]},
        "contributing.md",
        {"Elsewhere": "https://example.org/"},
    ]
    sections = nav_sections(nav, lambda page: f"About  {page}\n")
    assert sections == {
        HOME: [{"index.md": "About index.md"}, {"contributing.md": "About contributing.md"}],
        "Events": [
            {"events/index.md": "About events/index.md"},
            {"events/kafka.md": "About events/kafka.md"},
            {"events/x.md": "About events/x.md"},
        ],
    }


def test_every_nav_page_gets_a_description_in_llms_txt() -> None:
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)
    loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda _loader, _suffix, _node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    docs = ROOT / "docs"

    def describe(page: str) -> str:
        return str(front_matter((docs / page).read_text(encoding="utf-8")).get("description", ""))

    sections = nav_sections(config["nav"], describe)
    pages = [next(iter(item.items())) for items in sections.values() for item in items]
    assert len(pages) > 50
    assert ("reference/changelog.md", describe("reference/changelog.md")) in pages
    assert [p for p, description in pages if not description] == []
    assert "llmstxt" in str(config["plugins"])


# --- the skill bundle ------------------------------------------------------------------

BULLET = re.compile(
    r"^- `(?P<field>[^`]+)`: (?P<text>.*) — source: (?P<sources>.*); reviewed (?P<reviewed>\d{4}-\d\d-\d\d)"
)
HEADING = re.compile(r"^## .*?(?:\(`(?P<id>[^`]+)`\))?$")


def _bundle_facts(files: dict[str, str]) -> list[tuple[str, str, str, str, str]]:
    """(dataset, record, field, text, reviewed) for every fact bullet of the bundle."""
    found = []
    for path, text in files.items():
        if "/references/" not in path:
            continue
        dataset = path.rsplit("/", 1)[1].removesuffix(".md")
        record = ""
        for line in text.splitlines():
            if line.startswith("## "):
                match = HEADING.match(line)
                record = match["id"] if match and match["id"] else line[3:].strip()
            elif bullet := BULLET.match(line):
                found.append((dataset, record, bullet["field"], bullet["text"], bullet["reviewed"]))
    return found


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in NUMBER.findall(text)}


def _expected_text(fact: dict[str, Any]) -> str | None:
    """What a bullet must say, written here independently of the bundle's code."""
    if "value" in fact:
        parts = [str(fact["value"])] + ([f"({fact['note']})"] if fact.get("note") else [])
    elif "summary" in fact:
        parts = [fact["summary"], *fact.get("details", [])]
    else:
        return None  # structured records (TCO inputs): checked figure by figure below
    return " ".join(" ".join(parts).split())


def test_bundle_holds_every_fact_and_no_figure_that_differs_from_the_data(dumped: dict[str, Any]) -> None:
    files = skill_bundle.bundle_files(dumped, "https://example.org/")
    index = {}
    for name, raw in dumped.items():
        for path, fact in sourced_facts(raw):
            index[(name, path[1] if len(path) > 1 else name, ".".join(path[2:]) or "record")] = fact
    bullets = _bundle_facts(files)
    assert len(bullets) == len(index) > 500
    for dataset, record, field, text, reviewed in bullets:
        fact = index[(dataset, record, field)]
        where = f"{dataset} {record} {field}"
        assert reviewed == str(fact["reviewed"]), where
        expected = _expected_text(fact)
        if expected is not None:  # a value or a summary: the bullet says exactly what the data says
            assert " ".join(text.split()) == expected, where
        stated = _numbers(json.dumps({k: v for k, v in fact.items() if k != "sources"}, ensure_ascii=False))
        stray = _numbers(text) - stated
        assert not stray, f"{where}: figures {sorted(stray)} are not in the data"


def test_bundle_carries_the_corrections_not_the_old_figures(dumped: dict[str, Any]) -> None:
    files = skill_bundle.bundle_files(dumped, "https://example.org/")
    brokers = files["integration-patterns/references/brokers.md"]
    assert "`facts.max_message_size`: 1 MB per PutEvents entry" in brokers
    assert "256 KB per PutEvents" not in brokers
    ipaas = files["integration-patterns/references/ipaas.md"]
    assert "Virtual Private Workato (VPW)" in ipaas
    skill = files["integration-patterns/SKILL.md"]
    assert skill.startswith("---\nname: integration-patterns\n")
    for pattern in dumped["patterns"]["patterns"]:
        assert f"| {pattern['name']} |" in skill
    for entry in datasets.DATASETS:
        assert f"references/{entry.name}.md" in skill
    assert "**CDC** (Change data capture)" in files["integration-patterns/references/glossary.md"]


def test_zip_is_repeatable_and_opens(dumped: dict[str, Any]) -> None:
    files = skill_bundle.bundle_files(dumped, "https://example.org/")
    when = skill_bundle.latest_review(dumped)
    first, second = skill_bundle.to_zip(files, when), skill_bundle.to_zip(files, when)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert sorted(archive.namelist()) == sorted(files)
        assert (
            archive.read("integration-patterns/SKILL.md").decode() == files["integration-patterns/SKILL.md"]
        )
        assert archive.getinfo("integration-patterns/SKILL.md").date_time[:3] == (
            when.year,
            when.month,
            when.day,
        )


def test_serve_skips_the_markdown_copies_and_build_lists_every_page() -> None:
    from types import SimpleNamespace

    from hooks import published_outputs

    def config_with_plugin() -> Any:
        plugin = SimpleNamespace(config=SimpleNamespace(sections={}))
        nav = [{"Home": "index.md"}, {"CDC": ["cdc/index.md", "cdc/debezium.md"]}]
        return SimpleNamespace(
            plugins={"llmstxt": plugin}, nav=nav, docs_dir=str(Path(__file__).parents[2] / "docs")
        )

    try:
        published_outputs.on_startup("serve")
        served = published_outputs.on_config(config_with_plugin())
        assert served.plugins["llmstxt"].config.sections == {}
        published_outputs.on_startup("build")
        built = published_outputs.on_config(config_with_plugin())
        sections = built.plugins["llmstxt"].config.sections
        assert [list(item) for item in sections["CDC"]] == [["cdc/index.md"], ["cdc/debezium.md"]]
    finally:
        published_outputs.on_startup("build")
