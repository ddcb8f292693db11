"""The source checker against real local HTTP(S) servers on 127.0.0.1: no internet needed."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import json
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from macros import source_check as sc

Reply = tuple[int, dict[str, str], str]
"""Status, headers and body of one canned answer."""


class Server:
    """A threaded HTTP server whose routes answer from queues of canned replies."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, list[Reply | Callable[[], Reply]]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        routes, requests = self.routes, self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                requests.append((self.path, dict(self.headers)))
                queue = routes.get(self.path) or [(404, {}, "<title>Not found</title>")]
                reply = queue.pop(0) if len(queue) > 1 else queue[0]
                status, headers, body = reply() if callable(reply) else reply
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", headers.pop("Content-Type", "text/html; charset=utf-8"))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        scheme = "https" if tls else "http"
        self.base = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


class Sleeps:
    """Records the waits asked for instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(round(seconds, 3))


ONCE = sc.Settings(per_host_interval=0, attempts=1)
FAST = sc.Settings(concurrency=4, per_host_interval=0, timeout=2, attempts=3, backoff=2, max_wait=60)


def run_async(coroutine):
    """Run a coroutine on a loop of its own, even where a browser test's loop is running."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def check(
    citations: list[sc.Citation], settings: sc.Settings = FAST, sleeps: Sleeps | None = None
) -> list[sc.Result]:
    return run_async(sc.check_all(citations, settings, sleep=sleeps or Sleeps()))


def page(title: str) -> str:
    return f"<!doctype html><html><head><title>{title}</title></head><body>{'x' * 100}</body></html>"


def test_ok_page_with_matching_title_and_a_clear_user_agent(server: Server) -> None:
    server.routes["/quotas"] = [(200, {}, page("Amazon EventBridge quotas - Amazon EventBridge"))]
    (result,) = check([sc.Citation(server.url("/quotas"), ["Amazon EventBridge quotas"], ["docs/x.md"])])
    assert (result.outcome, result.status, result.attempts) == ("ok", 200, 1)
    assert result.title == "Amazon EventBridge quotas - Amazon EventBridge"
    assert result.cited_in == ["docs/x.md"]
    assert server.requests[0][1]["User-Agent"] == sc.USER_AGENT


def test_redirect_chain_is_reported_with_each_step(server: Server) -> None:
    server.routes["/old"] = [(301, {"Location": "/older"}, "")]
    server.routes["/older"] = [(308, {"Location": "/new"}, "")]
    server.routes["/new"] = [(200, {}, page("Event patterns"))]
    (result,) = check([sc.Citation(server.url("/old"), ["Event patterns"])])
    assert result.outcome == "redirected"
    assert result.final_url == server.url("/new")
    assert result.redirects == ["301 /older", "308 /new"]


def test_404_is_dead_and_not_retried(server: Server) -> None:
    (result,) = check([sc.Citation(server.url("/gone"), ["Gone"])])
    assert (result.outcome, result.status, result.attempts) == ("dead", 404, 1)


def test_429_waits_for_retry_after_then_succeeds(server: Server) -> None:
    server.routes["/limited"] = [(429, {"Retry-After": "7"}, ""), (200, {}, page("Rate limits"))]
    sleeps = Sleeps()
    (result,) = check([sc.Citation(server.url("/limited"), ["Rate limits"])], sleeps=sleeps)
    assert (result.outcome, result.attempts) == ("ok", 2)
    assert sleeps.waits == [7.0]


def test_retry_after_is_capped_and_server_errors_back_off_then_give_up(server: Server) -> None:
    server.routes["/slowdown"] = [(429, {"Retry-After": "86400"}, ""), (200, {}, page("Limits"))]
    server.routes["/broken"] = [(503, {}, "")]
    sleeps = Sleeps()
    capped, broken = check(
        [sc.Citation(server.url("/slowdown"), ["Limits"]), sc.Citation(server.url("/broken"), ["B"])],
        sleeps=sleeps,
    )
    assert capped.outcome == "ok"
    assert (broken.outcome, broken.status, broken.attempts, broken.error) == ("dead", 503, 3, "HTTP 503")
    assert sorted(sleeps.waits) == [2.0, 4.0, 60.0]  # backoff 2 then 4; Retry-After capped at 60


def test_timeout_is_retried_then_reported_as_an_error(server: Server) -> None:
    def slow() -> Reply:
        time.sleep(0.6)
        return (200, {}, page("Too late"))

    server.routes["/slow"] = [slow]
    settings = sc.Settings(per_host_interval=0, timeout=0.2, attempts=2)
    (result,) = check([sc.Citation(server.url("/slow"), ["Too late"])], settings)
    assert result.outcome == "error"
    assert result.error.startswith("timeout")
    assert result.attempts == 2


def test_changed_page_title_is_a_mismatch(server: Server) -> None:
    server.routes["/moved-subject"] = [(200, {}, page("Welcome to our new pricing calculator"))]
    (result,) = check([sc.Citation(server.url("/moved-subject"), ["Amazon EventBridge quotas"])])
    assert result.outcome == "title-mismatch"


def test_connection_refused_is_an_error() -> None:
    (result,) = check(
        [sc.Citation("http://127.0.0.1:9/nothing", ["x"])], sc.Settings(per_host_interval=0, attempts=1)
    )
    assert result.outcome == "error" and result.error.startswith("connection failed")


def _self_signed(tmp_path: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


def test_self_signed_certificate_is_a_tls_error(tmp_path: Path) -> None:
    srv = Server(tls=_self_signed(tmp_path))
    srv.routes["/secure"] = [(200, {}, page("Secure"))]
    srv.thread.start()
    try:
        (result,) = check(
            [sc.Citation(srv.url("/secure"), ["Secure"])], sc.Settings(per_host_interval=0, attempts=1)
        )
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()
    assert result.outcome == "error"
    assert result.error.startswith("TLS error")


def test_requests_to_one_host_are_spaced() -> None:
    now = [100.0]
    sleeps = Sleeps()

    async def sleep(seconds: float) -> None:
        await sleeps(seconds)
        now[0] += seconds

    async def run() -> None:
        pacer = sc.HostPacer(1.5, clock=lambda: now[0], sleep=sleep)
        await pacer.wait("https://docs.example.com/a")
        await pacer.wait("https://docs.example.com/b")
        await pacer.wait("https://other.example.com/c")

    run_async(run())
    assert sleeps.waits == [1.5]


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC).timestamp()
    assert sc.retry_after_seconds("30", now) == 30.0
    assert sc.retry_after_seconds("Mon, 30 Nov 2026 12:00:45 GMT", now) == 45.0
    assert sc.retry_after_seconds("Mon, 30 Nov 2026 11:00:00 GMT", now) == 0.0
    assert sc.retry_after_seconds("soon", now) is None
    assert sc.retry_after_seconds(None, now) is None


def test_titles_are_compared_by_significant_words() -> None:
    assert sc.title_matches(["Amazon EventBridge quotas"], "Amazon EventBridge quotas - Amazon EventBridge")
    assert sc.title_matches(["Workato docs: Tasks usage"], "Tasks usage | Workato Docs")
    assert sc.title_matches(["HubSpot API usage guidelines and limits"], "Log in") is False
    assert sc.title_matches(["x"], None) is None
    assert sc.page_title("<html><head><title>\n  A   title </title><title>second</title>") == "A title"
    assert sc.page_title("<p>no title</p>") is None


def test_collect_finds_data_and_front_matter_sources_once_each(tmp_path: Path) -> None:
    data, docs = tmp_path / "data", tmp_path / "docs"
    (docs / "events").mkdir(parents=True)
    data.mkdir()
    fact = "{value: 1, reviewed: 2026-11-30, sources: [{title: Quotas, url: 'https://a.example/q'}]}"
    (data / "brokers.yaml").write_text(f"brokers:\n  - id: eb\n    facts:\n      size: {fact}\n")
    (data / "changelog.yaml").write_text(
        "changes:\n  - record: eb\n    source: {title: Blog, url: 'https://b.example/post'}\n"
    )
    (docs / "events" / "eb.md").write_text(
        "---\ntitle: EB\nsources:\n  - title: Quotas page\n    url: https://a.example/q\n---\n# EB\n"
    )
    (docs / "plain.md").write_text("# No front matter\n")
    found = {c.url: c for c in sc.collect(data, docs)}
    assert sorted(found) == ["https://a.example/q", "https://b.example/post"]
    assert found["https://a.example/q"].titles == ["Quotas", "Quotas page"]
    assert found["https://a.example/q"].cited_in == ["data/brokers.yaml: eb.facts.size", "docs/events/eb.md"]


def test_site_sources_are_collected() -> None:
    citations = sc.collect(sc.ROOT / "macros" / "data", sc.ROOT / "docs")
    urls = [c.url for c in citations]
    assert len(urls) == len(set(urls)) > 100
    assert all(u.startswith(("https://", "http://")) for u in urls)


def test_reports_list_problems_in_a_table_and_everything_in_json() -> None:
    results = [
        sc.Result("https://a.example/ok", "ok", status=200),
        sc.Result("https://a.example/dead", "dead", status=404, cited_in=["docs/a.md"]),
        sc.Result("https://a.example/r", "redirected", status=200, final_url="https://a.example/r2"),
        sc.Result("https://a.example/t", "title-mismatch", status=200, title="A | B", titles=["C"]),
    ]
    when = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)
    markdown = sc.to_markdown(results, when)
    assert "4 source URLs checked: 1 ok, 1 dead, 0 error, 1 redirected, 1 title-mismatch." in markdown
    assert "| dead | https://a.example/dead | 404 |  | docs/a.md |" in markdown
    assert "now https://a.example/r2" in markdown and "A \\| B" in markdown
    assert markdown.index("| dead") < markdown.index("| redirected") < markdown.index("| title-mismatch")
    report = json.loads(sc.to_json(results, when))
    assert report["checked"] == 4 and report["summary"]["dead"] == 1
    assert report["results"][1]["status"] == 404
    assert sc.to_markdown(results[:1], when).endswith("No problems found.\n")


def test_command_line_rejects_bad_settings(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        sc.main(["--concurrency", "0"])
    assert exit_info.value.code == 2
    assert "concurrency and attempts must be at least 1" in capsys.readouterr().err
