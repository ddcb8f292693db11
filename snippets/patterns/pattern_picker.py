"""The interactive pattern picker's questions and rules, on top of the decision table.

The page embeds everything a reader sees (questions, options, sentences) as JSON
from this module; ``docs/assets/javascripts/picker.js`` mirrors only the small
rule kernel below, and a parity test runs both on every combination of answers.
"""

# --8<-- [start:questions]
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product

from snippets.patterns.choose_a_pattern import RULES, Requirements, matching_rules


@dataclass(frozen=True)
class Question:
    """One question of the picker; the first option is the default answer."""

    id: str
    text: str
    options: tuple[tuple[str, str], ...]  # (answer id, label)

    @property
    def default(self) -> str:
        """The answer assumed until the reader picks another."""
        return self.options[0][0]


QUESTIONS: tuple[Question, ...] = (
    Question(
        "waits",
        "Does the caller wait for the answer?",
        (("no", "No: it carries on and learns the result later"), ("yes", "Yes: a user or a process waits")),
    ),
    Question(
        "source",
        "Where does the data live, and what access do you have?",
        (
            ("saas_api", "A SaaS application, through its API"),
            ("saas_webhooks", "A SaaS application that sends webhooks"),
            ("own_db", "A database whose transaction log we may read"),
            ("db_query", "A database we may only query"),
            ("warehouse", "Our data warehouse"),
            ("files", "Files (SFTP, object storage, exports)"),
        ),
    ),
    Question(
        "freshness",
        "How stale may the target be?",
        (
            ("minutes", "A few minutes"),
            ("seconds", "Seconds"),
            ("hour", "Up to an hour"),
            ("day", "A day"),
        ),
    ),
    Question(
        "volume",
        "How many records change a day?",
        (("medium", "10,000 to 1 million"), ("low", "Fewer than 10,000"), ("high", "More than 1 million")),
    ),
    Question(
        "consumers",
        "How many systems react to each change?",
        (("one", "One"), ("several", "Two or more")),
    ),
    Question(
        "direction",
        "Which way does the data flow?",
        (
            ("into", "Into the warehouse"),
            ("out", "Out of the warehouse into operational tools"),
            ("app", "From one application to another"),
        ),
    ),
    Question(
        "ordering",
        "What must delivery guarantee?",
        (
            ("latest", "Nothing special: the latest state is enough"),
            ("per_key", "Changes to one record applied in order"),
            ("exactly_once", "Each change applied exactly once"),
        ),
    ),
    Question(
        "skills",
        "What does the team that builds it write?",
        (
            ("python", "Python"),
            ("other_code", "Another language (Java, Go, C#...)"),
            ("low_code", "Low-code tools"),
        ),
    ),
    Question(
        "operations",
        "Who operates it?",
        (("vendor", "A vendor runs it for us"), ("we_run", "We run services, with on-call")),
    ),
)

Answers = Mapping[str, str]
# --8<-- [end:questions]

# --8<-- [start:kernel]
DELAY_SECONDS = {"seconds": 10, "minutes": 120, "hour": 3600, "day": 86400}
SOURCE_KIND = {
    "saas_api": "saas_app",
    "saas_webhooks": "saas_app",
    "own_db": "database",
    "db_query": "database",
    "warehouse": "warehouse",
    "files": "files",
}


def requirements(a: Answers) -> Requirements:
    """Translate the picker's answers into the decision table's inputs."""
    return Requirements(
        # Data leaving the warehouse is Reverse ETL, whatever system it was first loaded from.
        source="warehouse" if a["direction"] == "out" else SOURCE_KIND[a["source"]],
        caller_needs_answer=a["waits"] == "yes",
        max_delay_seconds=DELAY_SECONDS[a["freshness"]],
        consumers=2 if a["consumers"] == "several" else 1,
        own_the_database=a["source"] == "own_db",
        source_sends_webhooks=a["source"] == "saas_webhooks",
        team_writes_python=a["skills"] == "python",
        into_warehouse=a["direction"] != "app",
    )


def build_option(pattern: str, a: Answers) -> tuple[str, str]:
    """Return (build option, reason id): iPaaS, dlt or custom code."""
    if a["skills"] == "low_code":
        return "ipaas", "low-code-team"
    if pattern == "dlt-pipelines" or (
        pattern in ("batch-file", "cdc") and a["direction"] == "into" and a["skills"] == "python"
    ):
        return "dlt", "python-into-warehouse"
    if a["operations"] == "vendor" and pattern in ("request-reply", "webhooks", "reverse-etl"):
        return "ipaas", "vendor-runs-it"
    return "custom", "code-team"


def trade_offs(pattern: str, build: str, a: Answers) -> list[str]:
    """Ids of the trade-offs this recommendation accepts, in display order."""
    found = ["pattern-" + pattern]
    if build == "ipaas" and a["volume"] == "high":
        found.append("ipaas-volume")
    if build == "custom" and a["operations"] == "vendor":
        found.append("custom-needs-owner")
    if pattern == "cdc" and a["operations"] == "vendor":
        found.append("slot-needs-watching")
    if pattern == "webhooks" and a["ordering"] != "latest":
        found.append("webhook-order")
    if pattern == "pub-sub-events" and a["ordering"] == "per_key":
        found.append("partition-order")
    if a["ordering"] == "exactly_once" and pattern != "request-reply":
        found.append("effectively-once")
    if pattern == "request-reply" and a["volume"] == "high":
        found.append("calls-at-volume")
    if a["freshness"] == "seconds" and pattern in ("batch-file", "dlt-pipelines", "reverse-etl"):
        found.append("not-seconds")
    return found


def recommend(a: Answers) -> dict[str, object]:
    """The picker's recommendation: pattern, build option, trade-offs and runner-up."""
    rules = matching_rules(requirements(a))
    winner = rules[0]
    runner_up = next((r for r in rules if r.pattern != winner.pattern), None)
    build, build_reason = build_option(winner.pattern, a)
    return {
        "pattern": winner.pattern,
        "rule": winner.id,
        "build": build,
        "build_reason": build_reason,
        "trade_offs": trade_offs(winner.pattern, build, a),
        "runner_up": runner_up.pattern if runner_up else None,
        "runner_up_rule": runner_up.id if runner_up else None,
    }


# --8<-- [end:kernel]

# --8<-- [start:sentences]
BUILD_NAMES = {"ipaas": "an iPaaS", "dlt": "dlt", "custom": "custom code"}
BUILD_REASONS = {
    "low-code-team": "the people who will own it build in visual tools, so a platform keeps it theirs",
    "python-into-warehouse": "a Python team loading a warehouse gets incremental state, schema handling "
    "and MERGE from dlt instead of writing them",
    "vendor-runs-it": "a vendor runs the flows, retries and monitoring, so no one here needs on-call for it",
    "code-team": "a code-first team keeps full control of latency, protocol and cost",
}
BUILD_OPTION_OF = {
    "low-code-team": "ipaas",
    "python-into-warehouse": "dlt",
    "vendor-runs-it": "ipaas",
    "code-team": "custom",
}
BUILD_WHEN = {
    "low-code-team": "The team builds in low-code tools",
    "python-into-warehouse": "A Python team loads the warehouse with dlt, batch or CDC",
    "vendor-runs-it": "A vendor should run request/reply, webhook or Reverse ETL flows",
    "code-team": "Anything else",
}
TRADE_OFFS = {
    "pattern-request-reply": "The caller is coupled to the callee: "
    "when the callee is slow or down, so is the caller.",
    "pattern-pub-sub-events": "You run, or pay for, a broker, and consumers must cope with duplicates.",
    "pattern-cdc": "You run a connector and a replication slot, and you couple to the source's table layout.",
    "pattern-batch-file": "The target is as stale as the last run, "
    "and a failed run delays everything after it.",
    "pattern-webhooks": "Webhooks are at-least-once and unordered; "
    "you still need a reconciliation job for missed ones.",
    "pattern-reverse-etl": "The operational tool is only as fresh as the last warehouse build and sync run.",
    "pattern-dlt-pipelines": "Polling an API spends its rate limit, and deletes need a separate check.",
    "ipaas-volume": "Usage-priced platforms cost more as volume grows: above a million records a day, "
    "compare the TCO of the options before you commit.",
    "custom-needs-owner": "Custom code needs an owner: run it on a managed runtime or budget for on-call.",
    "slot-needs-watching": "A replication slot keeps WAL on the source until it is read: "
    "even with a managed connector, someone must watch slot lag.",
    "webhook-order": "Webhooks can arrive out of order: "
    "compare a version or timestamp before applying each one.",
    "partition-order": "Order holds only within a partition or ordering key: "
    "key each event by its record id.",
    "effectively-once": "No transport delivers exactly once end to end: you get at-least-once delivery "
    "plus an idempotent write (MERGE or upsert on a key).",
    "calls-at-volume": "One call per record does not scale to millions a day: use the bulk endpoints.",
    "not-seconds": "Scheduled syncs do not reach seconds: expect minutes at best.",
}
RUNNER_UP = "{runner_up} also fits your answers, but the decision table ranks this row first: {when}."
NO_RUNNER_UP = "No other pattern fits these answers."
NOTES = {
    "unknown": "The address had settings this page does not know; they were ignored.",
    "invalid": "The address gave an answer that is not one of the options for “{question}”; "
    "the default answer is used instead.",
}
# --8<-- [end:sentences]


def default_answers() -> dict[str, str]:
    """Every question at its default answer."""
    return {q.id: q.default for q in QUESTIONS}


def all_answers() -> list[dict[str, str]]:
    """Every combination of answers, in a stable order."""
    ids = [q.id for q in QUESTIONS]
    choices = [[option for option, _ in q.options] for q in QUESTIONS]
    return [dict(zip(ids, combo, strict=True)) for combo in product(*choices)]


def picker_data() -> dict[str, object]:
    """Everything the page's script reads: texts here, rules in the script."""
    return {
        "questions": [
            {"id": q.id, "text": q.text, "default": q.default, "options": [list(o) for o in q.options]}
            for q in QUESTIONS
        ],
        "rules": [{"id": r.id, "pattern": r.pattern, "when": r.when, "reason": r.reason} for r in RULES],
        "build_names": BUILD_NAMES,
        "build_reasons": BUILD_REASONS,
        "build_when": BUILD_WHEN,
        "trade_offs": TRADE_OFFS,
        "runner_up": RUNNER_UP,
        "no_runner_up": NO_RUNNER_UP,
        "notes": NOTES,
    }
