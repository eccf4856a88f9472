"""Labels every message that shows market prices must carry.

Simulated prices must never pass for real ones, and cached prices served while the
exchange is down must say how old they are. Any feature that shows a price from a
`CandleResult`, `Ticker`, `Depth`, or `/top` result calls `data_label` (or
`with_label`) with the user's translator; the strings live in
`locales/*/market.ftl`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from core.market.symbols import UnknownSymbol
from services.text import format_duration


class Labelled(Protocol):
    simulated: bool
    stale: bool


Translate = Callable[..., str]


def format_age(seconds: float | None, i18n: Translate) -> str:
    """The age of cached data in the reader's units ("3 ч 5 мин"); "?" when unknown."""
    return "?" if seconds is None else format_duration(seconds, i18n)


def data_label(data: Labelled | Iterable[Labelled], i18n: Translate) -> str | None:
    """The warning line for simulated and/or stale data, or None for fresh real data."""
    items = [data] if hasattr(data, "simulated") else list(data)  # type: ignore[arg-type]
    lines = []
    if any(item.simulated for item in items):
        lines.append(i18n("market-simulated-label"))
    stale = [item for item in items if item.stale]
    if stale:
        ages = [getattr(item, "age_s", None) for item in stale]
        known = [a for a in ages if a is not None]
        age = format_age(max(known) if known else None, i18n)
        # Replayed history has no exchange to be down: its series simply ends early.
        replay = all(getattr(item, "source", None) == "replay" for item in stale)
        lines.append(i18n("market-stale-replay-label" if replay else "market-stale-label", age=age))
    return "\n".join(lines) or None


def with_label(text: str, data: Any, i18n: Translate) -> str:
    """`text` with the label line(s) on top when the data needs one."""
    label = data_label(data, i18n)
    return f"{label}\n{text}" if label else text


def unknown_symbol_text(exc: UnknownSymbol, i18n: Translate) -> str:
    """The localized "unknown market" answer, with close matches when there are any.
    The user's text is HTML-escaped (messages use Telegram's HTML parse mode)."""
    symbol = html.escape(exc.text[:40])
    if exc.suggestions:
        return i18n(
            "market-unknown-symbol-suggest", symbol=symbol, suggestions=", ".join(exc.suggestions)
        )
    return i18n("market-unknown-symbol", symbol=symbol)
