"""NetSuite concurrency: the arithmetic, and a worker pool against a local server that enforces a limit.

The local server answers like NetSuite's REST web services when too many
requests are open at once (429) and like a RESTlet (400 with
SSS_REQUEST_LIMIT_EXCEEDED) on another path.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from snippets.solutions.netsuite_ipaas_choice import (
    FlowLoad,
    account_concurrency,
    plan_concurrency,
    push_records,
)

LIMIT = 3


class LimitedNetSuite(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.refused = 0
        self.stored: list[dict] = []


class Handler(http.server.BaseHTTPRequestHandler):
    server: LimitedNetSuite

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return None

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status, answer = self.process(body)
        # The slot is given back before the answer is written: a client that
        # reads the answer and sends its next request at once must find it free.
        self.reply(status, answer, retry_after="1" if status == 429 else None)

    def process(self, body: dict) -> tuple[int, dict]:
        """Hold a slot while the record is processed; refuse when none is free."""
        with self.server.lock:
            self.server.in_flight += 1
            busy = self.server.in_flight > LIMIT
            self.server.peak = max(self.server.peak, self.server.in_flight)
        try:
            if busy:
                with self.server.lock:
                    self.server.refused += 1
                if self.path.startswith("/app/site/hosting/restlet.nl"):
                    refusal = {"code": "SSS_REQUEST_LIMIT_EXCEEDED", "message": "Request limit exceeded"}
                    return 400, {"error": refusal}
                return 429, {"title": "Too Many Requests", "status": 429}
            time.sleep(0.03)  # the work NetSuite does for one record
            with self.server.lock:
                self.server.stored.append(body)
            return 200, {"id": body["externalId"]}
        finally:
            with self.server.lock:
                self.server.in_flight -= 1

    def reply(self, status: int, body: dict, retry_after: str | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if retry_after:
            self.send_header("Retry-After", retry_after)
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def netsuite() -> Iterator[LimitedNetSuite]:
    server = LimitedNetSuite()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def records(n: int) -> list[dict]:
    return [{"externalId": f"SO-{i:04}", "total": i} for i in range(n)]


def short_sleep(_seconds: float) -> None:
    time.sleep(0.03)  # the server asked for 1 s; the test only needs the order of events


def test_worked_example_needs_more_slots_than_a_tier_1_account_gives_one_integration() -> None:
    limit = account_concurrency("tier-1", suitecloud_plus_licences=1)
    assert limit == 25
    per_line = FlowLoad(50_000, netsuite_calls_per_transaction=3, peak_hour_share=0.25, seconds_per_call=2.0)
    plan = plan_concurrency(per_line, limit, share_for_this_integration=0.6)
    assert (plan.needed, plan.available, plan.fits) == (21, 15, False)
    batched = FlowLoad(50_000, netsuite_calls_per_transaction=1, peak_hour_share=0.25, seconds_per_call=2.0)
    assert plan_concurrency(batched, limit, 0.6) == type(plan)(7, 15, True)


def test_tiers_and_bad_input() -> None:
    assert account_concurrency("standard") == 5
    assert account_concurrency("standard", 1) == 15
    with pytest.raises(ValueError, match="unknown service tier"):
        account_concurrency("tier-9")
    with pytest.raises(ValueError, match="negative"):
        account_concurrency("tier-1", -1)
    with pytest.raises(ValueError, match="shares"):
        plan_concurrency(FlowLoad(1, 1, 0, 1), 5, 0.5)


def test_a_pool_within_the_allocation_never_meets_the_limit(netsuite: LimitedNetSuite) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{netsuite.server_port}") as client:
        report = push_records(
            client, "/services/rest/record/v1/salesOrder", records(30), max_in_flight=LIMIT, sleep=short_sleep
        )
    assert report.sent == 30 and report.limit_responses == 0
    assert netsuite.refused == 0 and netsuite.peak <= LIMIT
    assert sorted(r["externalId"] for r in netsuite.stored) == [f"SO-{i:04}" for i in range(30)]


def test_an_oversized_pool_meets_429s_and_only_retries_get_everything_through(
    netsuite: LimitedNetSuite,
) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{netsuite.server_port}") as client:
        report = push_records(
            client,
            "/services/rest/record/v1/salesOrder",
            records(40),
            max_in_flight=10,
            sleep=short_sleep,
            max_attempts=60,
        )
    assert report.sent == 40 and len(netsuite.stored) == 40
    assert netsuite.refused > 0 and report.limit_responses == netsuite.refused


def test_restlet_limit_errors_are_recognised_too(netsuite: LimitedNetSuite) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{netsuite.server_port}") as client:
        report = push_records(
            client,
            "/app/site/hosting/restlet.nl?script=12&deploy=1",
            records(24),
            max_in_flight=8,
            sleep=short_sleep,
        )
    assert report.sent == 24 and netsuite.refused > 0
    assert report.limit_responses == netsuite.refused
