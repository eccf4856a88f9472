"""Logging: text or JSON lines, and no secret ever written.

`RedactingFilter` replaces every configured secret (bot token, API keys, webhook
secret) and anything shaped like one (core/redaction.py) in the final message,
including tracebacks and library log lines such as request URLs that embed the token.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from core.config import Settings
from core.redaction import redact

NOISY = ("aiogram.event", "aiohttp.access", "apscheduler.executors.default", "alembic.runtime")


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 6]

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            payload["exc"] = record.exc_text
        return json.dumps(payload, ensure_ascii=False)


def configure_logging(settings: Settings, *, quiet: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(settings.secret_values()))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel("WARNING" if quiet else settings.log_level)
    if settings.log_level != "DEBUG":
        for name in NOISY:
            logging.getLogger(name).setLevel(logging.WARNING)
