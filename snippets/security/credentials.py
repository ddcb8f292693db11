"""Load integration credentials from the environment or a secrets file.

Environment variables win (that is how a secrets manager or CI injects
them); a local TOML file is the fallback for development. Missing names are
reported all at once, with where we looked, and no secret value ever reaches
a log line, an exception message or a ``repr``.
"""

from __future__ import annotations

import logging
import os
import stat
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

log = logging.getLogger("integration.credentials")


class CredentialError(RuntimeError):
    """Credentials are missing or stored unsafely. Never carries a value."""


# --8<-- [start:load]
@dataclass(frozen=True)
class Credentials:
    """Loaded secrets; printing or logging this object shows no value."""

    values: Mapping[str, SecretStr]
    origins: Mapping[str, str]  # name -> "environment" or the file path

    def get(self, name: str) -> str:
        """The plain value, for the one line of code that sends it."""
        return self.values[name].get_secret_value()


def _read_secrets_file(path: Path) -> dict[str, str]:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialError(
            f"{path} is readable by other users (mode {stat.filemode(mode)}); run: chmod 600 {path}"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError:
        # The decoder's message can quote the offending line: do not pass it on.
        raise CredentialError(f"{path} is not valid TOML") from None
    return {str(k): str(v) for k, v in data.items() if not isinstance(v, dict)}


def load_credentials(
    names: Iterable[str],
    *,
    secrets_file: Path | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Credentials:
    """Resolve each name from the environment first, then from ``secrets_file``."""
    wanted = list(names)
    from_file: dict[str, str] = {}
    if secrets_file is not None and secrets_file.exists():
        from_file = _read_secrets_file(secrets_file)
    values: dict[str, SecretStr] = {}
    origins: dict[str, str] = {}
    for name in wanted:
        if environ.get(name):
            values[name], origins[name] = SecretStr(environ[name]), "environment"
        elif from_file.get(name):
            values[name], origins[name] = SecretStr(from_file[name]), str(secrets_file)
    missing = [n for n in wanted if n not in values]
    if missing:
        looked = "the environment" + (f" and {secrets_file}" if secrets_file else "")
        raise CredentialError(f"missing credentials: {', '.join(missing)} (looked in {looked})")
    for name in wanted:
        log.info("credential %s loaded from %s", name, origins[name])  # the name, never the value
    return Credentials(values, origins)


# --8<-- [end:load]


# --8<-- [start:redact]
class RedactSecrets(logging.Filter):
    """Last line of defence: mask known secret values in any log record."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 4]  # masking "a" would mangle every line

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, "***")
        record.msg, record.args = message, None
        if record.exc_info:  # tracebacks are formatted later: render and mask them now
            text = logging.Formatter().formatException(record.exc_info)
            for secret in self.secrets:
                text = text.replace(secret, "***")
            record.exc_info, record.exc_text = None, text
        return True


def install_redaction(credentials: Credentials, logger: logging.Logger | None = None) -> RedactSecrets:
    """Attach the filter to every handler of ``logger`` (default: the root logger)."""
    redactor = RedactSecrets(credentials.get(n) for n in credentials.values)
    for handler in (logger or logging.getLogger()).handlers:
        handler.addFilter(redactor)
    return redactor


# --8<-- [end:redact]
