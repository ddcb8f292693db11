"""Hourly customer LTV scores from the warehouse to HubSpot contacts.

The diff, the snapshot and the failure table are the diff-based sync's; this
guide adds a HubSpot client that creates the custom properties it needs and
upserts contacts in batches on a unique ``customer_id`` property.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from snippets.connectors.rate_limits import RateLimited, send
from snippets.reverse_etl.diff_based_sync import Change, CrmClient, RecordResult, RetryableStatus

# --8<-- [start:model]
LTV_MODEL = """
CREATE OR REPLACE VIEW hubspot_ltv_model AS
SELECT customer_id,
       round(lifetime_value, 2) AS ltv_score,
       CASE WHEN lifetime_value >= 10000 THEN 'high'
            WHEN lifetime_value >= 1000 THEN 'medium'
            ELSE 'low' END AS ltv_band
FROM customer_ltv
WHERE customer_id IS NOT NULL
"""
# --8<-- [end:model]

# --8<-- [start:properties]
PROPERTIES = (
    {
        "name": "customer_id",
        "label": "Customer ID",
        "type": "string",
        "fieldType": "text",
        "hasUniqueValue": True,
    },
    {"name": "ltv_score", "label": "Lifetime value", "type": "number", "fieldType": "number"},
    {
        "name": "ltv_band",
        "label": "Lifetime value band",
        "type": "enumeration",
        "fieldType": "select",
        "options": [
            {"label": "High", "value": "high"},
            {"label": "Medium", "value": "medium"},
            {"label": "Low", "value": "low"},
        ],
    },
)


def ensure_properties(
    client: httpx.Client, group: str = "contactinformation", **send_options: Any
) -> list[str]:
    """Create the contact properties the sync writes, once; return the names created."""
    created = []
    for spec in PROPERTIES:
        path = f"/crm/v3/properties/contacts/{spec['name']}"
        try:
            send(client, client.build_request("GET", path), **send_options)
            continue  # it exists
        except httpx.HTTPStatusError as error:
            if error.response.status_code != 404:
                raise
        request = client.build_request(
            "POST", "/crm/v3/properties/contacts", json={**spec, "groupName": group}
        )
        try:
            send(client, request, **send_options)
        except httpx.HTTPStatusError as error:
            if error.response.status_code != 409:  # 409: another run created it meanwhile
                raise
            continue
        created.append(spec["name"])
    return created


# --8<-- [end:properties]


# --8<-- [start:client]
class HubSpotContacts(CrmClient):
    """Batch upsert of contacts identified by the unique ``customer_id`` property."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        id_property: str = "customer_id",
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(base_url, token, max_batch=100, sleep=sleep)
        self.id_property, self.now = id_property, now

    def send(self, operation: str, batch: Sequence[Change]) -> list[RecordResult]:
        inputs = [
            {
                "idProperty": self.id_property,
                "id": change.sync_key,
                "properties": {k: v for k, v in (change.payload or {}).items() if k != self.id_property},
            }
            for change in batch
        ]
        request = self.http.build_request(
            "POST", "/crm/v3/objects/contacts/batch/upsert", json={"inputs": inputs}
        )
        self.requests_sent += 1
        try:
            # 429 with Retry-After (burst or daily limit) is waited out within a bounded budget.
            response = send(self.http, request, sleep=self.sleep, now=self.now, max_attempts=4)
        except RateLimited as limited:
            raise RetryableStatus(limited.response) from limited
        except httpx.HTTPStatusError as error:
            # A 4xx for the whole batch (one bad value fails it): try each row alone to isolate it.
            if len(batch) > 1 and error.response.status_code == 400:
                return [result for change in batch for result in self.send(operation, [change])]
            message = error.response.json().get("message", error.response.text[:200])
            return [RecordResult(c.sync_key, False, message, retryable=False) for c in batch]
        body = response.json()
        done = {str(r["properties"].get(self.id_property)) for r in body.get("results", [])}
        return [
            RecordResult(c.sync_key, True)
            if c.sync_key in done
            else RecordResult(c.sync_key, False, "missing from results", retryable=True)
            for c in batch
        ]


# --8<-- [end:client]
