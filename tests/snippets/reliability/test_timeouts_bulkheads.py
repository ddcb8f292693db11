"""Timeouts against a slow local server; deadlines on a fake clock; bulkheads under contention."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import snippets.reliability.timeouts_bulkheads as tb


def slow(seconds: float):
    def handler(request: Request) -> Response:
        time.sleep(seconds)
        return Response('{"id": "c1"}', content_type="application/json")

    return handler


def test_client_has_explicit_phase_timeouts(httpserver: HTTPServer) -> None:
    with tb.crm_client(httpserver.url_for("/")) as client:
        assert client.timeout == httpx.Timeout(connect=2.0, read=10.0, write=10.0, pool=1.0)


def test_read_timeout_cuts_a_slow_response(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/customers/c1").respond_with_handler(slow(2.0))
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            client.get("/customers/c1", timeout=httpx.Timeout(5.0, read=0.2))
    assert time.monotonic() - started < 1.5  # gave up long before the 2 s answer


def test_deadline_shrinks_the_call_timeout(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/customers/c1").respond_with_handler(slow(2.0))
    with httpx.Client(base_url=httpserver.url_for("/")) as client:
        deadline = tb.Deadline(0.3)  # less than the 10 s read timeout: the deadline wins
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            tb.get_customer(client, "c1", deadline)
    assert time.monotonic() - started < 1.5


def test_fast_call_within_the_deadline_succeeds(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/customers/c1").respond_with_json({"id": "c1"})
    with tb.crm_client(httpserver.url_for("/")) as client:
        assert tb.get_customer(client, "c1", tb.Deadline(5)) == {"id": "c1"}


def test_spent_deadline_fails_without_calling(httpserver: HTTPServer) -> None:
    now = [0.0]
    deadline = tb.Deadline(2.0, clock=lambda: now[0])
    assert deadline.remaining() == 2.0
    timeout = deadline.timeout(tb.CRM_TIMEOUT)
    assert (timeout.connect, timeout.read, timeout.pool) == (2.0, 2.0, 1.0)
    now[0] = 2.0
    with tb.crm_client(httpserver.url_for("/")) as client, pytest.raises(tb.DeadlineExceeded):
        tb.get_customer(client, "c1", deadline)
    assert httpserver.log == []


def test_deadline_fills_phases_left_unset() -> None:
    deadline = tb.Deadline(3.0, clock=lambda: 0.0)
    timeout = deadline.timeout(httpx.Timeout(None, connect=1.0))
    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (1.0, 3.0, 3.0, 3.0)


def test_bulkhead_rejects_beyond_its_slots_and_recovers() -> None:
    bulkhead = tb.Bulkhead("erp", max_concurrent=2, max_wait=0.05)
    holding, release = threading.Barrier(3), threading.Event()

    def hold() -> None:
        with bulkhead.slot():
            holding.wait(5)
            release.wait(5)

    workers = [threading.Thread(target=hold) for _ in range(2)]
    for w in workers:
        w.start()
    holding.wait(5)  # both slots are taken
    with pytest.raises(tb.BulkheadFull, match="erp"), bulkhead.slot():
        pass
    release.set()
    for w in workers:
        w.join(5)
    with bulkhead.slot():  # slots came back
        pass


def test_bulkheads_isolate_dependencies() -> None:
    erp, crm = tb.BULKHEADS["erp"], tb.BULKHEADS["crm"]
    taken = []
    for _ in range(4):
        cm = erp.slot()
        cm.__enter__()
        taken.append(cm)
    with pytest.raises(tb.BulkheadFull), erp.slot():
        pass
    with crm.slot():  # the CRM still has its own slots
        pass
    for cm in taken:
        cm.__exit__(None, None, None)


def test_slot_is_released_when_the_call_fails() -> None:
    bulkhead = tb.Bulkhead("crm", max_concurrent=1)
    with pytest.raises(ValueError), bulkhead.slot():
        raise ValueError("call failed")
    with bulkhead.slot():
        pass
