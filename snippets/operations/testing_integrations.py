"""Techniques for testing integrations: record/replay, consumer-driven contracts, scripted chaos."""

# --8<-- [start:record_replay]
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx
from werkzeug import Request, Response

# Never written to a cassette: credentials and cookies.
SECRET_HEADERS = {"authorization", "cookie", "set-cookie", "x-api-key"}
KEPT_RESPONSE_HEADERS = {"content-type", "retry-after", "link", "x-ratelimit-remaining"}


class UnmatchedRequest(AssertionError):
    """Replay mode met a request the cassette does not hold: re-record, do not guess."""


class RecordReplayTransport(httpx.BaseTransport):
    """Record real responses once, then replay them offline in every later test run."""

    def __init__(
        self, cassette: Path, mode: Literal["record", "replay"], real: httpx.BaseTransport | None = None
    ) -> None:
        self.cassette, self.mode = cassette, mode
        self.real = real or httpx.HTTPTransport()
        self.entries: list[dict] = json.loads(cassette.read_text()) if mode == "replay" else []

    @staticmethod
    def key(request: httpx.Request) -> str:
        # Host left out on purpose: a cassette recorded against one host replays against any.
        return f"{request.method} {request.url.raw_path.decode()} {request.content.decode() or '-'}"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.mode == "replay":
            for entry in self.entries:
                if entry["request"] == self.key(request) and not entry.get("used"):
                    entry["used"] = True  # the same call twice needs two recorded answers
                    return httpx.Response(entry["status"], headers=entry["headers"], content=entry["body"])
            raise UnmatchedRequest(f"no recorded response for {self.key(request)!r} in {self.cassette.name}")
        response = self.real.handle_request(request)
        response.read()
        self.entries.append(
            {
                "request": self.key(request),
                "status": response.status_code,
                "headers": {k: v for k, v in response.headers.items() if k.lower() in KEPT_RESPONSE_HEADERS},
                "body": response.text,
            }
        )
        self.cassette.write_text(json.dumps(self.entries, indent=2))
        return response


# --8<-- [end:record_replay]


# --8<-- [start:contract]
TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
}


def verify_provider(client: httpx.Client, contract: dict) -> list[str]:
    """Replay each consumer expectation against the provider; return what it no longer honours."""
    failures = []
    for interaction in contract["interactions"]:
        request, expected = interaction["request"], interaction["response"]
        response = client.request(request["method"], request["path"], json=request.get("body"))
        name = interaction["description"]
        if response.status_code != expected["status"]:
            failures.append(f"{name}: status {response.status_code}, expected {expected['status']}")
            continue
        body = response.json() if expected.get("fields") else {}
        for field, kind in expected.get("fields", {}).items():
            if field not in body:
                failures.append(f"{name}: field '{field}' missing")
            elif not isinstance(body[field], TYPES[kind]) or isinstance(body[field], bool) != (
                kind == "boolean"
            ):
                failures.append(f"{name}: field '{field}' is {type(body[field]).__name__}, expected {kind}")
    return failures


# --8<-- [end:contract]


# --8<-- [start:chaos]
@dataclass(frozen=True)
class Step:
    """One scripted answer: a status and body, optionally late (a timeout) or with headers."""

    status: int = 200
    body: object = None
    delay: float = 0.0
    headers: dict[str, str] | None = None


def scripted(steps: list[Step], sleep: Callable[[float], None] = time.sleep) -> Callable[[Request], Response]:
    """A handler for a local test server that answers each call with the next step, then repeats the last."""
    remaining: Iterator[Step] = iter(steps)
    last = steps[-1]

    def handler(request: Request) -> Response:
        nonlocal last
        step = next(remaining, last)
        last = step
        if step.delay:
            sleep(step.delay)
        return Response(
            json.dumps(step.body),
            status=step.status,
            headers=step.headers or {},
            content_type="application/json",
        )

    return handler


# --8<-- [end:chaos]


# --8<-- [start:client_under_test]
def fetch_changes(
    client: httpx.Client, path: str, *, attempts: int = 4, sleep: Callable[[float], None] = time.sleep
) -> list[dict]:
    """The code the chaos tests drive: retry 429/5xx/timeouts, then de-duplicate and order the events."""
    for attempt in range(1, attempts + 1):
        try:
            response = client.get(path)
        except httpx.TimeoutException:
            if attempt == attempts:
                raise
            sleep(2**attempt)
            continue
        if response.status_code == 429 or response.status_code >= 500:
            if attempt == attempts:
                response.raise_for_status()
            sleep(float(response.headers.get("retry-after", 2**attempt)))
            continue
        response.raise_for_status()
        latest: dict[str, dict] = {}
        for event in response.json()["events"]:  # duplicates and out-of-order deliveries happen
            seen = latest.get(event["id"])
            if seen is None or event["version"] > seen["version"]:
                latest[event["id"]] = event
        return sorted(latest.values(), key=lambda e: (e["updated_at"], e["id"]))
    raise AssertionError("unreachable")  # pragma: no cover


# --8<-- [end:client_under_test]
