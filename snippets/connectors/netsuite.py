"""NetSuite: token-based authentication (OAuth 1.0a, HMAC-SHA256) and SuiteQL paging."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator

import httpx
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, Client

from snippets.connectors.rate_limits import send


# --8<-- [start:tba]
class NetSuiteTBA(httpx.Auth):
    """Sign every request with NetSuite token-based authentication.

    oauthlib builds the OAuth 1.0a signature base string (method, URL and
    every query and oauth_* parameter, percent-encoded and sorted) and signs
    it with HMAC-SHA256 keyed by ``consumer_secret&token_secret``. NetSuite
    also needs the account ID as the ``realm``, upper-case with an underscore
    (``1234567_SB1`` for a sandbox).
    """

    requires_request_body = True

    def __init__(
        self,
        account_id: str,
        consumer_key: str,
        consumer_secret: str,
        token_id: str,
        token_secret: str,
        **client_options,
    ) -> None:
        self._oauth = Client(
            consumer_key,
            client_secret=consumer_secret,
            resource_owner_key=token_id,
            resource_owner_secret=token_secret,
            signature_method=SIGNATURE_HMAC_SHA256,
            realm=account_id.upper().replace("-", "_"),
            **client_options,  # tests pin nonce and timestamp here
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        # A JSON body is not form-encoded, so it stays out of the signature.
        _, headers, _ = self._oauth.sign(str(request.url), request.method)
        request.headers["Authorization"] = headers["Authorization"]
        yield request


# --8<-- [end:tba]


# --8<-- [start:suiteql]
def suiteql(client: httpx.Client, sql: str, *, page_size: int = 1000, **send_options) -> Iterator[dict]:
    """Yield every row of a SuiteQL query, one request per page.

    The query needs a deterministic ``ORDER BY`` (a unique key last), or
    pages can overlap or skip rows. Results stop at 100,000 rows: window
    larger extracts by key or date, or use SuiteAnalytics Connect.
    """
    offset = 0
    while True:
        request = client.build_request(
            "POST",
            "/services/rest/query/v1/suiteql",
            params={"limit": page_size, "offset": offset},
            headers={"Prefer": "transient"},  # required by the SuiteQL resource
            json={"q": sql},
        )
        page = send(client, request, **send_options).json()
        if not isinstance(page, dict) or not isinstance(page.get("items"), list):
            raise ValueError(f"unexpected SuiteQL response: {str(page)[:200]}")
        for row in page["items"]:
            row.pop("links", None)
            yield row
        if not page.get("hasMore") or not page["items"]:
            return
        offset += len(page["items"])


# --8<-- [end:suiteql]


# --8<-- [start:incremental]
def changed_since(client: httpx.Client, table: str, since: str, **send_options) -> Iterator[dict]:
    """Rows of ``table`` modified after ``since`` (``YYYY-MM-DD HH24:MI:SS``), oldest first."""
    if not table.isidentifier():
        raise ValueError(f"not a table name: {table!r}")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", since):
        raise ValueError(f"not a timestamp: {since!r}")  # it is spliced into the query
    sql = (
        f"SELECT * FROM {table} "
        f"WHERE lastmodifieddate > TO_TIMESTAMP('{since}', 'YYYY-MM-DD HH24:MI:SS') "
        "ORDER BY lastmodifieddate, id"
    )
    return suiteql(client, sql, **send_options)


# --8<-- [end:incremental]
