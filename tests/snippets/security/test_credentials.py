"""Credentials load from env or a file, fail clearly, and never reach the logs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from snippets.security.credentials import CredentialError, install_redaction, load_credentials

CRM_TOKEN = "crm-live-7f3a9c2e5b"
WEBHOOK_SECRET = "whsec-test-91b0d4"
DB_PASSWORD = "pw-from-file-4471"


@pytest.fixture
def secrets_file(tmp_path: Path) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(f'WEBHOOK_SECRET = "stale-file-value"\nDB_PASSWORD = "{DB_PASSWORD}"\n')
    path.chmod(0o600)
    return path


def assert_no_secret(text: str) -> None:
    for value in (CRM_TOKEN, WEBHOOK_SECRET, DB_PASSWORD, "stale-file-value"):
        assert value not in text


def test_environment_wins_and_the_file_fills_the_gaps(secrets_file, caplog) -> None:
    caplog.set_level(logging.INFO)
    env = {"CRM_TOKEN": CRM_TOKEN, "WEBHOOK_SECRET": WEBHOOK_SECRET}

    creds = load_credentials(
        ["CRM_TOKEN", "WEBHOOK_SECRET", "DB_PASSWORD"], secrets_file=secrets_file, environ=env
    )

    assert creds.get("WEBHOOK_SECRET") == WEBHOOK_SECRET  # not the stale file value
    assert creds.get("DB_PASSWORD") == DB_PASSWORD
    assert creds.origins == {
        "CRM_TOKEN": "environment",
        "WEBHOOK_SECRET": "environment",
        "DB_PASSWORD": str(secrets_file),
    }
    assert "credential DB_PASSWORD loaded from" in caplog.text
    assert_no_secret(caplog.text)
    assert_no_secret(repr(creds) + str(creds))


def test_every_missing_name_is_reported_at_once_without_values(secrets_file, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(CredentialError) as err:
        load_credentials(
            ["CRM_TOKEN", "ERP_KEY", "DB_PASSWORD", "SFTP_KEY"],
            secrets_file=secrets_file,
            environ={"CRM_TOKEN": CRM_TOKEN},
        )

    message = str(err.value)
    assert message.startswith("missing credentials: ERP_KEY, SFTP_KEY (looked in the environment and ")
    assert str(secrets_file) in message
    assert_no_secret(message + caplog.text)


def test_an_empty_variable_counts_as_missing() -> None:
    with pytest.raises(
        CredentialError, match=r"missing credentials: CRM_TOKEN \(looked in the environment\)$"
    ):
        load_credentials(["CRM_TOKEN"], environ={"CRM_TOKEN": ""})


def test_a_secrets_file_others_can_read_is_refused(secrets_file) -> None:
    secrets_file.chmod(0o644)
    with pytest.raises(CredentialError, match="chmod 600"):
        load_credentials(["DB_PASSWORD"], secrets_file=secrets_file, environ={})


def test_a_broken_file_is_reported_without_quoting_it(tmp_path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text(f'DB_PASSWORD = "{DB_PASSWORD}"\nCRM_TOKEN = {CRM_TOKEN}\n')
    path.chmod(0o600)
    with pytest.raises(CredentialError, match="not valid TOML") as err:
        load_credentials(["DB_PASSWORD"], secrets_file=path, environ={})
    assert_no_secret(str(err.value))
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_redaction_masks_accidental_leaks_including_tracebacks(caplog) -> None:
    caplog.set_level(logging.INFO)
    creds = load_credentials(["CRM_TOKEN"], environ={"CRM_TOKEN": CRM_TOKEN})
    install_redaction(creds)
    app_log = logging.getLogger("integration.sync")

    app_log.warning("retrying https://crm.example/api?token=%s", creds.get("CRM_TOKEN"))
    try:
        raise ConnectionError(f"refused Authorization: Bearer {creds.get('CRM_TOKEN')}")
    except ConnectionError:
        app_log.exception("call failed")

    assert "token=***" in caplog.text
    assert "Bearer ***" in caplog.text
    assert_no_secret(caplog.text)
    assert all(CRM_TOKEN not in r.getMessage() for r in caplog.records)
