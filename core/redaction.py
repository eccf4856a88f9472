"""Secret redaction for logs, error texts and anything else that leaves the process.

Two layers: the exact secrets configured (bot token, API keys, webhook secret) and
anything shaped like one, so a token that never went through Settings (a pasted
one, another bot's) is still hidden. Shapes: Telegram bot tokens
(`123456789:AA...`, also inside `/bot<token>/` URLs), Anthropic keys (`sk-ant-...`),
other `sk-`/`pk-`/`rk-` style API keys, and `Bearer`/`x-api-key` header values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "***"
MIN_SECRET_LEN = 6

SHAPES: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<![0-9])[0-9]{5,12}:[A-Za-z0-9_-]{30,}"),  # Telegram bot token (also /bot<t>/)
    re.compile(r"\bsk-ant-[A-Za-z0-9_-]{8,}"),  # Anthropic
    re.compile(r"\b(?:sk|pk|rk)-(?:live-|test-|proj-)?[A-Za-z0-9_-]{20,}"),  # generic API keys
    re.compile(r"(?i)(?<=bearer )[A-Za-z0-9._~+/=-]{16,}"),
    re.compile(r"(?i)(?<=x-api-key: )[^\s,;'\"]{8,}"),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every configured secret and every secret-shaped string masked."""
    for secret in sorted((s for s in secrets if len(s) >= MIN_SECRET_LEN), key=len, reverse=True):
        text = text.replace(secret, MASK)
    for shape in SHAPES:
        text = shape.sub(MASK, text)
    return text
