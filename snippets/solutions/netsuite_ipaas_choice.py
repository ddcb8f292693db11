"""NetSuite plus 15 SaaS apps at 50,000 transactions a day: does the flow design fit its concurrency?

Whichever platform runs the flows, NetSuite limits how many requests run at
once for the whole account. The arithmetic says how many slots the peak hour
needs; the worker pool keeps a flow under its allocation so limit errors do
not happen in the first place.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from snippets.connectors.rate_limits import send

# --8<-- [start:concurrency]
BASE_CONCURRENCY = {"standard": 5, "tier-1": 15}  # the account's service tier
PER_SUITECLOUD_PLUS = 10


def account_concurrency(tier: str, suitecloud_plus_licences: int = 0) -> int:
    """Concurrent requests the whole account allows (SOAP, REST and RESTlets together)."""
    if tier not in BASE_CONCURRENCY:
        raise ValueError(f"unknown service tier {tier!r}; expected one of {sorted(BASE_CONCURRENCY)}")
    if suitecloud_plus_licences < 0:
        raise ValueError("licences cannot be negative")
    return BASE_CONCURRENCY[tier] + PER_SUITECLOUD_PLUS * suitecloud_plus_licences


@dataclass(frozen=True)
class FlowLoad:
    transactions_per_day: int
    netsuite_calls_per_transaction: float
    peak_hour_share: float  # fraction of the day's transactions in the busiest hour
    seconds_per_call: float


@dataclass(frozen=True)
class ConcurrencyPlan:
    needed: int  # slots busy on average in the peak hour
    available: int  # slots this integration may use
    fits: bool


def plan_concurrency(
    load: FlowLoad, account_limit: int, share_for_this_integration: float
) -> ConcurrencyPlan:
    """Little's law: requests in flight = arrival rate x time each one takes."""
    if not 0 < load.peak_hour_share <= 1 or not 0 < share_for_this_integration <= 1:
        raise ValueError("shares must be in (0, 1]")
    calls_per_second = (
        load.transactions_per_day * load.netsuite_calls_per_transaction * load.peak_hour_share / 3600
    )
    needed = math.ceil(calls_per_second * load.seconds_per_call)
    available = math.floor(account_limit * share_for_this_integration)
    return ConcurrencyPlan(needed, available, needed <= available)


# --8<-- [end:concurrency]


# --8<-- [start:pool]
@dataclass
class PushReport:
    sent: int = 0
    limit_responses: int = 0  # 429s (REST) or SSS_REQUEST_LIMIT_EXCEEDED (RESTlets) seen and retried


def push_records(
    client: httpx.Client,
    path: str,
    records: Iterable[dict[str, Any]],
    *,
    max_in_flight: int,
    sleep: Callable[[float], None],
    max_attempts: int = 8,
) -> PushReport:
    """Send records with at most ``max_in_flight`` requests open: the flow's share of the account."""
    report = PushReport()

    def waited(seconds: float) -> None:
        report.limit_responses += 1  # each wait follows one limit response
        sleep(seconds)

    def one(record: dict[str, Any]) -> None:
        send(client, client.build_request("POST", path, json=record), sleep=waited, max_attempts=max_attempts)

    with ThreadPoolExecutor(max_workers=max_in_flight) as pool:
        for _ in pool.map(one, records):
            report.sent += 1
    return report


# --8<-- [end:pool]
