"""The pattern picker's rules, and the page script's kernel against them under Node.

The parity test runs ``picker.js`` in Node on every combination of answers
(15,552) and requires the same pattern, rule, build option, trade-offs and
runner-up as the Python.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import snippets.patterns.pattern_picker as picker
from macros import datasets
from snippets.patterns.choose_a_pattern import RULES

ROOT = Path(__file__).resolve().parents[3]
PICKER_JS = ROOT / "docs" / "assets" / "javascripts" / "picker.js"
NODE = shutil.which("node") or "/usr/bin/node"

RUN_ALL = """
const kernel = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = input.answers.map((a) => kernel.recommend(a, input.rules));
process.stdout.write(JSON.stringify({ruleIds: kernel.ruleIds, results: out}));
"""


def answers(**changes: str) -> dict[str, str]:
    return {**picker.default_answers(), **changes}


def test_defaults_recommend_dlt_with_a_runner_up() -> None:
    rec = picker.recommend(picker.default_answers())
    assert rec == {
        "pattern": "dlt-pipelines",
        "rule": "python-team",
        "build": "dlt",
        "build_reason": "python-into-warehouse",
        "trade_offs": ["pattern-dlt-pipelines"],
        "runner_up": "batch-file",
        "runner_up_rule": "anything-else",
    }


def test_salesforce_to_snowflake_with_cdc_events_is_webhooks_built_in_python() -> None:
    rec = picker.recommend(answers(source="saas_webhooks", ordering="per_key", operations="we_run"))
    assert rec["pattern"] == "webhooks"
    assert rec["build"] == "custom"
    assert "webhook-order" in rec["trade_offs"]
    assert rec["runner_up"] == "dlt-pipelines"


def test_owned_database_is_cdc_and_vendor_operation_warns_about_the_slot() -> None:
    rec = picker.recommend(answers(source="own_db", freshness="seconds", skills="other_code"))
    assert (rec["pattern"], rec["build"]) == ("cdc", "custom")
    assert rec["trade_offs"] == ["pattern-cdc", "custom-needs-owner", "slot-needs-watching"]


def test_out_of_the_warehouse_is_reverse_etl_whatever_the_source() -> None:
    rec = picker.recommend(answers(direction="out", source="own_db", freshness="seconds"))
    assert rec["pattern"] == "reverse-etl"
    assert "not-seconds" in rec["trade_offs"]
    assert (rec["build"], rec["build_reason"]) == ("ipaas", "vendor-runs-it")


def test_app_to_app_without_push_is_a_scheduled_flow_not_dlt() -> None:
    rec = picker.recommend(answers(direction="app", volume="high", skills="low_code"))
    assert (rec["pattern"], rec["rule"]) == ("request-reply", "app-to-app")
    assert rec["build"] == "ipaas"
    assert rec["trade_offs"] == ["pattern-request-reply", "ipaas-volume", "calls-at-volume"]


def test_many_consumers_with_per_key_order_and_exactly_once() -> None:
    keyed = picker.recommend(answers(consumers="several", ordering="per_key", operations="we_run"))
    once = picker.recommend(answers(consumers="several", ordering="exactly_once", operations="we_run"))
    assert keyed["pattern"] == once["pattern"] == "pub-sub-events"
    assert "partition-order" in keyed["trade_offs"]
    assert "effectively-once" in once["trade_offs"]


def test_a_waiting_caller_has_no_exactly_once_trade_off_and_files_are_batch() -> None:
    waiting = picker.recommend(answers(waits="yes", ordering="exactly_once"))
    files = picker.recommend(answers(source="files", skills="other_code", operations="we_run"))
    assert waiting["pattern"] == "request-reply" and "effectively-once" not in waiting["trade_offs"]
    assert (files["pattern"], files["build"], files["trade_offs"]) == (
        "batch-file",
        "custom",
        ["pattern-batch-file"],
    )


def test_the_last_rule_has_no_runner_up() -> None:
    rec = picker.recommend(answers(skills="other_code", operations="we_run"))
    assert rec["rule"] == "anything-else"
    assert rec["runner_up"] is None and rec["runner_up_rule"] is None


def test_every_combination_gives_a_known_pattern_and_all_texts_exist() -> None:
    combos = picker.all_answers()
    assert len(combos) == 2 * 6 * 4 * 3 * 2 * 3 * 3 * 3 * 2
    ids = {p.id for p in datasets.load("patterns").patterns}
    seen_trade_offs: set[str] = set()
    seen_reasons: set[str] = set()
    for combo in combos:
        rec = picker.recommend(combo)
        assert rec["pattern"] in ids and rec["build"] in picker.BUILD_NAMES
        seen_trade_offs.update(rec["trade_offs"])
        seen_reasons.add(str(rec["build_reason"]))
    # Every sentence is reachable, and every reachable id has a sentence.
    assert seen_trade_offs == set(picker.TRADE_OFFS)
    assert seen_reasons == set(picker.BUILD_REASONS) == set(picker.BUILD_WHEN) == set(picker.BUILD_OPTION_OF)


def test_picker_data_carries_every_question_and_rule_in_order() -> None:
    data = picker.picker_data()
    assert [q["id"] for q in data["questions"]] == [q.id for q in picker.QUESTIONS]
    assert [r["id"] for r in data["rules"]] == [r.id for r in RULES]
    assert "{question}" in data["notes"]["invalid"]
    assert "{runner_up}" in data["runner_up"] and "{when}" in data["runner_up"]
    json.dumps(data)  # serialisable as it is


@pytest.mark.skipif(not Path(NODE).exists(), reason="Node is not installed")
def test_javascript_kernel_agrees_on_every_combination() -> None:
    combos = picker.all_answers()
    rules = [{"id": r.id, "pattern": r.pattern} for r in RULES]
    proc = subprocess.run(
        [NODE, "-e", RUN_ALL, str(PICKER_JS)],
        input=json.dumps({"answers": combos, "rules": rules}),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = json.loads(proc.stdout)
    assert sorted(out["ruleIds"]) == sorted(r.id for r in RULES)
    expected = [picker.recommend(c) for c in combos]
    mismatches = [(c, e, j) for c, e, j in zip(combos, expected, out["results"], strict=True) if e != j]
    assert not mismatches, mismatches[:3]
    assert len(out["results"]) == 15_552
