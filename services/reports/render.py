"""Digest text in the reader's language (pushed by a job, so rendered in services)."""

from __future__ import annotations

import math
from datetime import date

from core.metrics.formulas import format_ratio
from services.i18n import Translator
from services.reports.digest import Digest
from services.risk.text import money_text, pct


def share_text(value: float) -> str:
    """A fraction as a percentage; "—" when undefined."""
    return "—" if math.isnan(value) else f"{value * 100:.1f}%"


def symbols_text(items: list[tuple[str, object]], currency: str) -> str:
    return ", ".join(f"{s} {money_text(v, currency, signed=True)}" for s, v in items)  # type: ignore[arg-type]


def digest_text(i18n: Translator, d: Digest, currency: str, first_day: date, last_day: date) -> str:
    if d.kind == "weekly":
        title = i18n("digest-weekly-title", start=first_day.isoformat(), end=last_day.isoformat())
    else:
        title = i18n("digest-daily-title", date=last_day.isoformat())
    lines = [
        title,
        i18n(
            "digest-body",
            trades=d.trades,
            win_rate=share_text(d.win_rate),
            pf=format_ratio(d.profit_factor),
            pnl=money_text(d.pnl, currency, signed=True),
            pnl_pct="—" if d.pnl_pct is None else f"{pct(d.pnl_pct)}%",
            dd=share_text(d.drawdown),
            sl=d.sl_count,
            tp=d.tp_count,
            open=d.open_positions,
        ),
    ]
    if d.winners:
        lines.append(i18n("digest-top-winners", list=symbols_text(d.winners, currency)))  # type: ignore[arg-type]
    if d.losers:
        lines.append(i18n("digest-top-losers", list=symbols_text(d.losers, currency)))  # type: ignore[arg-type]
    return "\n".join(lines)
