"""The Event Hubs Kafka settings are accepted by a real librdkafka client (no broker contacted)."""

from __future__ import annotations

import pytest
from confluent_kafka import KafkaException, Producer

from snippets.events.azure_messaging import event_hubs_kafka_config

CONNECTION = "Endpoint=sb://orders-prod.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc="


def test_settings_name_the_kafka_endpoint_and_sasl_plain() -> None:
    config = event_hubs_kafka_config("orders-prod", CONNECTION)
    assert config["bootstrap.servers"] == "orders-prod.servicebus.windows.net:9093"
    assert (config["security.protocol"], config["sasl.mechanism"]) == ("SASL_SSL", "PLAIN")
    assert config["sasl.username"] == "$ConnectionString"
    assert config["sasl.password"] == CONNECTION


def test_librdkafka_accepts_the_settings() -> None:
    # Point the bootstrap at a closed local port so the client never leaves 127.0.0.1.
    config = event_hubs_kafka_config("orders-prod", CONNECTION, **{"bootstrap.servers": "127.0.0.1:9"})
    producer = Producer(config)  # validates every key and combination at construction
    assert producer.flush(0) == 0


def test_a_typo_in_an_override_is_refused_by_the_client() -> None:
    config = event_hubs_kafka_config("orders-prod", CONNECTION, **{"bootstrap.servers": "127.0.0.1:9"})
    config["sasl.mechanisms.typo"] = "PLAIN"
    with pytest.raises(KafkaException):
        Producer(config)


@pytest.mark.parametrize(
    ("namespace", "connection", "message"),
    [
        ("ab", CONNECTION, "not an Event Hubs namespace"),
        ("orders prod", CONNECTION, "not an Event Hubs namespace"),
        ("orders-prod", "HostName=x;SharedAccessKey=y", "must start with 'Endpoint=sb://'"),
    ],
)
def test_bad_input_gets_a_clear_message(namespace: str, connection: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        event_hubs_kafka_config(namespace, connection)
