"""Encode the pattern decision as a function your design review can test."""

# --8<-- [start:requirements]
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Source = Literal["database", "saas_app", "files", "warehouse"]


@dataclass(frozen=True)
class Requirements:
    """What the integration must do, in the terms the decision depends on."""

    source: Source  # where the data lives and what access you have
    caller_needs_answer: bool  # does the caller wait for a result?
    max_delay_seconds: float  # how stale may the target be?
    consumers: int = 1  # how many systems react to the same change?
    own_the_database: bool = False  # may you read its transaction log?
    source_sends_webhooks: bool = False
    team_writes_python: bool = True
    into_warehouse: bool = True  # False when data moves from one application to another


# --8<-- [end:requirements]


# --8<-- [start:choose]
@dataclass(frozen=True)
class Rule:
    """One row of the decision table: when it holds, its pattern fits."""

    id: str
    pattern: str
    when: str  # the condition in words, for the decision table
    reason: str  # why the pattern fits when the condition holds
    holds: Callable[[Requirements], bool]


RULES: tuple[Rule, ...] = (
    Rule(
        "caller-waits",
        "request-reply",
        "The caller waits for an answer",
        "the caller waits for a result",
        lambda r: r.caller_needs_answer,
    ),
    Rule(
        "warehouse-source",
        "reverse-etl",
        "The data starts in the warehouse and goes out to operational tools",
        "modelled warehouse data flows out to operational tools",
        lambda r: r.source == "warehouse",
    ),
    Rule(
        "owned-database",
        "cdc",
        "A database whose log you may read, and less than an hour of delay",
        "log-based capture gives every change, deletes included, within seconds",
        lambda r: r.source == "database" and r.own_the_database and r.max_delay_seconds < 3600,
    ),
    Rule(
        "many-consumers",
        "pub-sub-events",
        "More than one system reacts to each change",
        "several consumers react to one change independently",
        lambda r: r.consumers > 1,
    ),
    Rule(
        "app-pushes",
        "webhooks",
        "A SaaS app that sends webhooks, and less than five minutes of delay",
        "the app pushes changes as they happen",
        lambda r: r.source == "saas_app" and r.source_sends_webhooks and r.max_delay_seconds < 300,
    ),
    Rule(
        "files-or-slow",
        "batch-file",
        "Files, or six hours of delay or more",
        "hours of delay are acceptable, so bulk transfer is cheapest",
        lambda r: r.source == "files" or r.max_delay_seconds >= 6 * 3600,
    ),
    Rule(
        "app-to-app",
        "request-reply",
        "One application to another, with no push and no shared log",
        "a scheduled flow reads changed records from one API and writes them to the other",
        lambda r: not r.into_warehouse,
    ),
    Rule(
        "python-team",
        "dlt-pipelines",
        "Into the warehouse, built by a team that writes Python",
        "incremental loads in reviewed, tested Python",
        lambda r: r.team_writes_python and r.source != "warehouse",
    ),
    Rule(
        "anything-else",
        "batch-file",
        "Anything else",
        "no low-latency need and no code-first team",
        lambda r: True,
    ),
)


def matching_rules(req: Requirements) -> list[Rule]:
    """Every rule that holds for ``req``, in the order of the decision table."""
    if req.max_delay_seconds < 0:
        raise ValueError("max_delay_seconds cannot be negative")
    return [rule for rule in RULES if rule.holds(req)]


def choose_pattern(req: Requirements) -> tuple[str, str]:
    """Return (pattern id, reason) for the first rule that holds."""
    first = matching_rules(req)[0]
    return first.pattern, first.reason


# --8<-- [end:choose]


# --8<-- [start:example]
order_sync = Requirements(
    source="saas_app", caller_needs_answer=False, max_delay_seconds=60, source_sends_webhooks=True
)
assert choose_pattern(order_sync) == ("webhooks", "the app pushes changes as they happen")
# --8<-- [end:example]
