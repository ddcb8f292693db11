"""Encode the pattern decision as a function your design review can test."""

# --8<-- [start:requirements]
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


# --8<-- [end:requirements]


# --8<-- [start:choose]
def choose_pattern(req: Requirements) -> tuple[str, str]:
    """Return (pattern id, reason) for the first rule that matches."""
    if req.max_delay_seconds < 0:
        raise ValueError("max_delay_seconds cannot be negative")
    if req.caller_needs_answer:
        return "request-reply", "the caller waits for a result"
    if req.source == "warehouse":
        return "reverse-etl", "modelled warehouse data flows out to operational tools"
    if req.source == "database" and req.own_the_database and req.max_delay_seconds < 3600:
        return "cdc", "log-based capture gives every change, deletes included, within seconds"
    if req.consumers > 1:
        return "pub-sub-events", "several consumers react to one change independently"
    if req.source == "saas_app" and req.source_sends_webhooks and req.max_delay_seconds < 300:
        return "webhooks", "the app pushes changes as they happen"
    if req.source == "files" or req.max_delay_seconds >= 6 * 3600:
        return "batch-file", "hours of delay are acceptable, so bulk transfer is cheapest"
    if req.team_writes_python:
        return "dlt-pipelines", "incremental loads in reviewed, tested Python"
    return "batch-file", "no low-latency need and no code-first team"


# --8<-- [end:choose]


# --8<-- [start:example]
order_sync = Requirements(
    source="saas_app", caller_needs_answer=False, max_delay_seconds=60, source_sends_webhooks=True
)
print(choose_pattern(order_sync))
# ('webhooks', 'the app pushes changes as they happen')
# --8<-- [end:example]
