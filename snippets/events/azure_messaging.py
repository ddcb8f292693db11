"""Point an existing Kafka client at Azure Event Hubs' Kafka endpoint."""

# --8<-- [start:event_hubs_kafka]
import re

NAMESPACE = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]{4,48}[a-zA-Z0-9]$")


def event_hubs_kafka_config(namespace: str, connection_string: str, **overrides: str) -> dict[str, str]:
    """librdkafka settings for Event Hubs: TLS on port 9093, SASL PLAIN with the connection string.

    The user name is the literal string "$ConnectionString"; the password is the
    namespace's (or one event hub's) connection string. Prefer Microsoft Entra ID
    (sasl.mechanism OAUTHBEARER) in production, so no shared key sits in config.
    """
    if not NAMESPACE.match(namespace):
        raise ValueError(f"not an Event Hubs namespace name: {namespace!r} (6-50 letters, digits, hyphens)")
    if not connection_string.startswith("Endpoint=sb://"):
        raise ValueError("the connection string must start with 'Endpoint=sb://' (copy it from Azure)")
    return {
        "bootstrap.servers": f"{namespace}.servicebus.windows.net:9093",
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "PLAIN",
        "sasl.username": "$ConnectionString",
        "sasl.password": connection_string,
        "enable.idempotence": "true",  # retries do not duplicate records
        **overrides,
    }


# --8<-- [end:event_hubs_kafka]
