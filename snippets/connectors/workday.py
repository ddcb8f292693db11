"""Workday: refresh-token sign-in for an ISU, REST paging, and a RaaS extract."""

from __future__ import annotations

from collections.abc import Iterator

import httpx

from snippets.connectors.rate_limits import send


# --8<-- [start:token]
def access_token(
    client: httpx.Client, tenant: str, client_id: str, client_secret: str, refresh_token: str
) -> str:
    """Trade the API client's non-expiring refresh token (issued for the ISU) for an access token."""
    response = client.post(
        f"/ccx/oauth2/{tenant}/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(client_id, client_secret),
    )
    response.raise_for_status()
    return response.json()["access_token"]


# --8<-- [end:token]


# --8<-- [start:paginate]
def rest_collection(
    client: httpx.Client, tenant: str, resource: str, *, page_size: int = 100, **send_options
) -> Iterator[dict]:
    """Yield every item of a REST collection such as ``staffing/v6/workers``.

    Pages use ``limit`` (at most 100) and ``offset``; ``total`` says when to stop.
    """
    service_and_path = resource.strip("/")
    service, version, path = service_and_path.split("/", 2)  # e.g. staffing, v6, workers
    url = f"/ccx/api/{service}/{version}/{tenant}/{path}"
    offset = 0
    while True:
        request = client.build_request("GET", url, params={"limit": page_size, "offset": offset})
        page = send(client, request, **send_options).json()
        if not isinstance(page.get("data"), list) or not isinstance(page.get("total"), int):
            raise ValueError(f"unexpected collection response: {str(page)[:200]}")
        yield from page["data"]
        offset += len(page["data"])
        if not page["data"] or offset >= page["total"]:
            return


# --8<-- [end:paginate]


# --8<-- [start:raas]
def run_report(
    client: httpx.Client, tenant: str, owner: str, report: str, prompts: dict[str, str], **send_options
) -> list[dict]:
    """Run a RaaS report as JSON. There is no paging: chunk large reports with prompts."""
    url = f"/ccx/service/customreport2/{tenant}/{owner}/{report}"
    request = client.build_request("GET", url, params={**prompts, "format": "json"})
    body = send(client, request, **send_options).json()
    if not isinstance(body.get("Report_Entry"), list):
        raise ValueError(f"unexpected report response: {str(body)[:200]}")
    return body["Report_Entry"]


# --8<-- [end:raas]
