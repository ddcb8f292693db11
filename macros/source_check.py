"""Check every cited source URL: dead links, redirects and changed page titles.

Maintainers run ``make check-sources`` (it needs internet, so it is not part of
``make test``). It collects each source URL from the data files
(``macros/data/*.yaml``) and from the pages' front matter, requests them
concurrently but politely (a few at a time, a pause between two requests to
the same host, a clear user agent, a timeout), retries rate limits and
server errors with backoff (honouring ``Retry-After``), and writes a Markdown
table and a JSON report.

It lives in ``macros`` because it reads the same data through the same loader
helpers, is linted and covered with the rest of the site's code, and yet is
never imported by the build, which stays offline.

A result is one of:

* ``ok``: 2xx, and the page title still resembles the title we cite;
* ``redirected``: it ends on 2xx at another address (update the link);
* ``title-mismatch``: 2xx, but the page's ``<title>`` shares too few words
  with our title (the page may have changed subject);
* ``dead``: 404 or 410, or any other 4xx/5xx once retries are spent;
* ``error``: no HTTP answer (timeout, connection refused, TLS failure).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import re
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import yaml
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from macros.fact_diff import sourced_facts
from macros.review_due import front_matter
from snippets.reliability.retry_backoff import parse_retry_after

ROOT = Path(__file__).resolve().parents[1]
USER_AGENT = (
    "IntegrationPatternsSourceCheck/1.0 (monthly check of the sources cited by the "
    "Integration Patterns documentation site; one request per page)"
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEAD_STATUSES = frozenset({404, 410})
TITLE_BYTES = 256 * 1024
"""How much of a page to read while looking for its ``<title>``."""

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


# --------------------------------------------------------------------- collecting


@dataclass
class Citation:
    """One URL and everywhere the site cites it.

    Attributes:
        url: The cited address.
        titles: The titles we give it (usually one).
        cited_in: Where it is cited (``data/brokers.yaml: eventbridge``, ``docs/x.md``).
    """

    url: str
    titles: list[str] = field(default_factory=list)
    cited_in: list[str] = field(default_factory=list)

    def add(self, title: str, where: str) -> None:
        """Record one more citation of this URL."""
        if title and title not in self.titles:
            self.titles.append(title)
        if where not in self.cited_in:
            self.cited_in.append(where)


def collect(data_dir: Path, docs_dir: Path) -> list[Citation]:
    """Collect every source URL from the data files and the pages' front matter.

    Args:
        data_dir: Folder of the YAML datasets.
        docs_dir: Folder of the Markdown pages.

    Returns:
        One citation per distinct URL, sorted by URL.
    """
    found: dict[str, Citation] = {}

    def cite(source: Any, where: str) -> None:
        if isinstance(source, dict) and isinstance(source.get("url"), str):
            url = source["url"]
            found.setdefault(url, Citation(url)).add(str(source.get("title") or ""), where)

    for file in sorted(data_dir.glob("*.yaml")):
        raw = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for path, fact in sourced_facts(raw):
            where = f"data/{file.name}: {'.'.join(path[1:]) or file.stem}"
            for source in fact.get("sources") or []:
                cite(source, where)
        if file.stem == "changelog":  # its entries cite one `source` each
            for change in (raw or {}).get("changes", []):
                cite(change.get("source"), f"data/{file.name}: {change.get('record')}")
    for page in sorted(docs_dir.rglob("*.md")):
        for source in front_matter(page.read_text(encoding="utf-8")).get("sources") or []:
            cite(source, f"docs/{page.relative_to(docs_dir).as_posix()}")
    return [found[url] for url in sorted(found)]


# --------------------------------------------------------------------- titles


class _TitleParser(HTMLParser):
    """Collect the text of the first ``<title>`` element."""

    def __init__(self) -> None:
        super().__init__()
        self._inside = False
        self.done = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.done:
            self._inside = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._inside:
            self._inside, self.done = False, True

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.parts.append(data)


def page_title(html: str) -> str | None:
    """Return a page's ``<title>`` text with whitespace collapsed, if it has one.

    Args:
        html: The start of an HTML document.

    Returns:
        The title, or None when the page has no title element.
    """
    parser = _TitleParser()
    parser.feed(html)
    text = " ".join("".join(parser.parts).split())
    return text or None


_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"the", "and", "for", "with", "docs", "documentation", "how", "what", "your", "from"})


def _words(text: str) -> set[str]:
    """Significant lower-case words of a title."""
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in _STOP}


def title_matches(ours: Iterable[str], theirs: str | None, threshold: float = 0.5) -> bool | None:
    """Whether the page's title still resembles one of the titles we cite.

    Args:
        ours: The titles we give the source.
        theirs: The page's ``<title>``, or None when it has none.
        threshold: Share of our title's significant words that must appear.

    Returns:
        None when there is nothing to compare, else True or False.
    """
    theirs_words = _words(theirs or "")
    candidates = [_words(t) for t in ours if _words(t)]
    if not theirs_words or not candidates:
        return None
    return any(len(c & theirs_words) / len(c) >= threshold for c in candidates)


# --------------------------------------------------------------------- requesting


@dataclass
class Result:
    """What one URL answered.

    Attributes:
        url: The cited address.
        outcome: ok, redirected, title-mismatch, dead or error.
        status: Final HTTP status, if any.
        final_url: Where redirects ended.
        redirects: The redirect chain as ``"301 https://..."`` steps.
        title: The page's title, if read.
        attempts: Requests made, retries included.
        error: What went wrong, when there was no usable answer.
        cited_in: Where the site cites the URL.
        titles: The titles we give it.
    """

    url: str
    outcome: str
    status: int | None = None
    final_url: str | None = None
    redirects: list[str] = field(default_factory=list)
    title: str | None = None
    attempts: int = 0
    error: str | None = None
    cited_in: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)

    def _cite(self, citation: Citation) -> Result:
        """Copy where the URL is cited and under which titles; return self."""
        self.cited_in, self.titles = citation.cited_in, citation.titles
        return self


class RetryableStatus(Exception):
    """A 429 or 5xx answer worth retrying, with its ``Retry-After`` in seconds."""

    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Parse ``Retry-After`` (seconds or an HTTP date) into a delay.

    Args:
        value: The header value, if present.
        now: The current time (epoch seconds), for HTTP dates.

    Returns:
        The delay in seconds (never negative), or None when absent or unreadable.
    """
    return parse_retry_after(value, now) if value else None


class HostPacer:
    """Keep at least ``interval`` seconds between two requests to the same host."""

    def __init__(self, interval: float, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, url: str) -> None:
        """Wait until the URL's host may be asked again, then book the next slot."""
        host = urlsplit(url).netloc.lower()
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            delay = self._next.get(host, 0.0) - self.clock()
            if delay > 0:
                await self.sleep(delay)
            self._next[host] = self.clock() + self.interval


@dataclass
class Settings:
    """How politely and how persistently to check.

    Attributes:
        concurrency: Requests in flight at once, across all hosts.
        per_host_interval: Seconds between two requests to one host.
        timeout: Seconds to wait for a connection or a read.
        attempts: Tries per URL for 429, 5xx and timeouts.
        backoff: First backoff in seconds; doubles per retry.
        max_wait: Longest wait honoured, from ``Retry-After`` or backoff.
        verify: TLS verification (True, or a CA bundle path in tests).
    """

    concurrency: int = 4
    per_host_interval: float = 1.0
    timeout: float = 20.0
    attempts: int = 3
    backoff: float = 2.0
    max_wait: float = 60.0
    verify: bool | str = True


def _wait_for(settings: Settings) -> Callable[[RetryCallState], float]:
    """Tenacity wait: the server's ``Retry-After`` if given, else exponential backoff."""

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RetryableStatus) and error.retry_after is not None:
            return min(error.retry_after, settings.max_wait)
        return min(settings.backoff * 2 ** (state.attempt_number - 1), settings.max_wait)

    return wait


def _retryable(error: BaseException) -> bool:
    """Retry rate limits, server errors and timeouts; not TLS or DNS failures."""
    return isinstance(error, RetryableStatus | httpx.TimeoutException)


async def _fetch(client: httpx.AsyncClient, url: str) -> tuple[httpx.Response, str]:
    """GET a URL and read up to the end of its ``<title>`` (or a size limit)."""
    async with client.stream("GET", url) as response:
        if response.status_code in RETRY_STATUSES:
            wait = retry_after_seconds(response.headers.get("retry-after"), time.time())
            raise RetryableStatus(response.status_code, wait)
        body = b""
        if response.is_success:
            async for chunk in response.aiter_bytes():
                body += chunk
                if b"</title>" in body.lower() or len(body) >= TITLE_BYTES:
                    break
        return response, body.decode(response.encoding or "utf-8", errors="replace")


def _classify(citation: Citation, response: httpx.Response, text: str) -> Result:
    """Turn a final answer into a result."""
    redirects = [f"{r.status_code} {r.headers.get('location', '')}" for r in response.history]
    result = Result(
        citation.url,
        "ok",
        status=response.status_code,
        final_url=str(response.url),
        redirects=redirects,
        cited_in=citation.cited_in,
        titles=citation.titles,
    )
    if not response.is_success:
        result.outcome = "dead"
        return result
    result.title = page_title(text) if "html" in response.headers.get("content-type", "html") else None
    if redirects and str(response.url) != citation.url:
        result.outcome = "redirected"
    elif title_matches(citation.titles, result.title) is False:
        result.outcome = "title-mismatch"
    return result


async def check_one(
    client: httpx.AsyncClient,
    citation: Citation,
    settings: Settings,
    pacer: HostPacer,
    gate: asyncio.Semaphore,
    sleep: Sleep = asyncio.sleep,
) -> Result:
    """Check one URL with retries; never raises.

    Args:
        client: The shared HTTP client.
        citation: The URL and where it is cited.
        settings: Politeness and retry settings.
        pacer: Per-host spacing of requests.
        gate: Limit on requests in flight.
        sleep: Used between retries (injected by tests).

    Returns:
        The result for this URL.
    """
    attempts = 0
    retrying = AsyncRetrying(
        stop=stop_after_attempt(settings.attempts),
        wait=_wait_for(settings),
        retry=retry_if_exception(_retryable),
        sleep=sleep,
        reraise=True,
    )
    try:
        async for attempt in retrying:
            with attempt:
                attempts += 1
                await pacer.wait(citation.url)
                async with gate:
                    response, text = await _fetch(client, citation.url)
    except RetryableStatus as exc:
        dead = Result(citation.url, "dead", status=exc.status, attempts=attempts, error=f"HTTP {exc.status}")
        return dead._cite(citation)
    except httpx.TimeoutException as exc:
        return _error(citation, attempts, f"timeout ({type(exc).__name__})")
    except httpx.TooManyRedirects:
        return _error(citation, attempts, "too many redirects")
    except httpx.ConnectError as exc:
        reason = (
            "TLS error" if "SSL" in str(exc) or "certificate" in str(exc).lower() else "connection failed"
        )
        return _error(citation, attempts, f"{reason}: {exc}")
    except httpx.HTTPError as exc:
        return _error(citation, attempts, f"{type(exc).__name__}: {exc}")
    result = _classify(citation, response, text)
    result.attempts = attempts
    return result


def _error(citation: Citation, attempts: int, message: str) -> Result:
    """A result for a URL that gave no usable HTTP answer."""
    return Result(
        citation.url,
        "error",
        attempts=attempts,
        error=message,
        cited_in=citation.cited_in,
        titles=citation.titles,
    )


async def check_all(
    citations: list[Citation],
    settings: Settings | None = None,
    *,
    sleep: Sleep = asyncio.sleep,
    clock: Clock = time.monotonic,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Result]:
    """Check every citation concurrently, politely.

    Args:
        citations: What to check.
        settings: Politeness and retry settings (defaults when None).
        sleep: Used for pacing and retries (injected by tests).
        clock: Monotonic clock for pacing (injected by tests).
        transport: Optional HTTP transport (tests).

    Returns:
        One result per citation, in the citations' order.
    """
    settings = settings or Settings()
    pacer = HostPacer(settings.per_host_interval, clock=clock, sleep=sleep)
    gate = asyncio.Semaphore(settings.concurrency)
    async with httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
        timeout=httpx.Timeout(settings.timeout),
        follow_redirects=True,
        max_redirects=10,
        verify=settings.verify,
        transport=transport,
    ) as client:
        return list(
            await asyncio.gather(*(check_one(client, c, settings, pacer, gate, sleep) for c in citations))
        )


# --------------------------------------------------------------------- reporting

PROBLEMS = ("dead", "error", "redirected", "title-mismatch")


def summary(results: list[Result]) -> dict[str, int]:
    """Count results by outcome (every outcome present, zero included)."""
    counts = dict.fromkeys(("ok", *PROBLEMS), 0)
    for r in results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    return counts


def to_json(results: list[Result], checked_at: dt.datetime) -> str:
    """The JSON report: when, how many of each outcome, and every result.

    Args:
        results: The check results.
        checked_at: When the check ran.

    Returns:
        Pretty-printed JSON text.
    """
    payload = {
        "checked_at": checked_at.isoformat(timespec="seconds"),
        "user_agent": USER_AGENT,
        "checked": len(results),
        "summary": summary(results),
        "results": [asdict(r) for r in results],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _cell(text: object) -> str:
    """Escape a value for a Markdown table cell."""
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def to_markdown(results: list[Result], checked_at: dt.datetime) -> str:
    """The Markdown report: a summary line and a table of the problems.

    Args:
        results: The check results.
        checked_at: When the check ran.

    Returns:
        Markdown text; the table lists every result that is not ``ok``.
    """
    counts = summary(results)
    lines = [
        f"# Source check, {checked_at.date().isoformat()}",
        "",
        f"{len(results)} source URLs checked: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".",
        "",
    ]
    problems = [r for r in results if r.outcome != "ok"]
    if not problems:
        lines.append("No problems found.")
        return "\n".join(lines) + "\n"
    lines += ["| Outcome | URL | Status | Detail | Cited in |", "|---|---|---|---|---|"]
    order = {name: i for i, name in enumerate(PROBLEMS)}
    for r in sorted(problems, key=lambda r: (order.get(r.outcome, 99), r.url)):
        if r.outcome == "redirected":
            detail = f"now {r.final_url}"
        elif r.outcome == "title-mismatch":
            detail = f"page title '{r.title}', we cite '{'; '.join(r.titles)}'"
        else:
            detail = r.error or ""
        cited = ", ".join(r.cited_in[:3]) + (f" (+{len(r.cited_in) - 3})" if len(r.cited_in) > 3 else "")
        row = [r.outcome, r.url, r.status, detail, cited]
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: check every source and write the reports.

    Args:
        argv: Arguments (defaults to ``sys.argv[1:]``).

    Returns:
        0, or 1 with ``--fail-on-dead`` when a source is dead or unreachable.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=Path("source-report.json"), help="JSON report path")
    parser.add_argument(
        "--markdown", type=Path, default=Path("source-report.md"), help="Markdown report path"
    )
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--per-host-interval", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--attempts", type=int, default=3)
    parser.add_argument("--fail-on-dead", action="store_true")
    args = parser.parse_args(argv)
    if args.concurrency < 1 or args.attempts < 1 or args.timeout <= 0 or args.per_host_interval < 0:
        parser.error("concurrency and attempts must be at least 1, timeout above 0, interval 0 or more")
    citations = collect(ROOT / "macros" / "data", ROOT / "docs")
    settings = Settings(args.concurrency, args.per_host_interval, args.timeout, args.attempts)
    print(f"checking {len(citations)} source URLs...", file=sys.stderr)
    results = asyncio.run(check_all(citations, settings))
    now = dt.datetime.now(dt.UTC)
    args.json.write_text(to_json(results, now), encoding="utf-8")
    report = to_markdown(results, now)
    args.markdown.write_text(report, encoding="utf-8")
    print(report)
    counts = summary(results)
    return 1 if args.fail_on_dead and (counts["dead"] or counts["error"]) else 0


if __name__ == "__main__":
    raise SystemExit(main())
