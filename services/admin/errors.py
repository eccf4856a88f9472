"""A bounded ring of recent unhandled errors, for /admin.

The error handler (handlers/common/errors.py) logs every unhandled exception on the
`tradebot.errors` logger with `ref=<id>`; this logging handler keeps the newest
entries (time, reference, exception type, redacted message) in memory. Nothing is
stored that the log itself would not show.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

from core.redaction import redact

ERRORS_LOGGER = "tradebot.errors"
KEEP = 50
_REF = re.compile(r"\bref=([0-9a-f]{4,32})\b")


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    ref: str
    at: datetime
    kind: str
    message: str


class ErrorRing(logging.Handler):
    def __init__(self, keep: int = KEEP) -> None:
        super().__init__(level=logging.ERROR)
        self.entries: deque[ErrorInfo] = deque(maxlen=keep)
        self.secrets: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a broken log call must not break logging
            text = str(record.msg)
        match = _REF.search(text)
        kind, message = "-", ""
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            kind, message = type(exc).__name__, str(exc)
        self.entries.append(
            ErrorInfo(
                ref=match.group(1) if match else "-",
                at=datetime.fromtimestamp(record.created, UTC),
                kind=kind,
                message=redact(message, self.secrets)[:160],
            )
        )

    def recent(self, n: int = 5) -> list[ErrorInfo]:
        return list(self.entries)[-n:][::-1]


_ring: ErrorRing | None = None


def error_ring(secrets: list[str] | None = None) -> ErrorRing:
    """The process-wide ring, attached to the errors logger on first use."""
    global _ring
    if _ring is None:
        _ring = ErrorRing()
        logging.getLogger(ERRORS_LOGGER).addHandler(_ring)
    if secrets:
        _ring.secrets = sorted(set(_ring.secrets) | set(secrets))
    return _ring
