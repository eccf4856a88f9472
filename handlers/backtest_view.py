"""Chat texts of a backtest: progress message, result card, run list (HTML, localized).

Metrics are float64 figures of the simulation; money on the card goes through
`Decimal(str(x))` for formatting only.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from core.metrics import format_ratio
from core.metrics.formulas import from_json
from handlers.render import escape, format_money, format_percent
from services.backtests.store import RunDTO
from services.i18n import Translator

BAR_CELLS = 10
Translate = Translator


def progress_bar(fraction: float) -> str:
    filled = max(0, min(BAR_CELLS, round(fraction * BAR_CELLS)))
    return "▓" * filled + "░" * (BAR_CELLS - filled)


def _day(ms: int | None) -> str:
    if ms is None:
        return "?"
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d")


def title(run: RunDTO, i18n: Translate) -> str:
    return i18n(
        "backtest-title",
        id=run.id,
        symbol=escape(run.symbol),
        timeframe=run.timeframe,
        strategy=run.strategy,
    )


def _sim_line(run: RunDTO, i18n: Translate) -> list[str]:
    return [i18n("market-simulated-label")] if run.simulated else []


def render_progress(run: RunDTO, fraction: float, phase: str, i18n: Translate) -> str:
    return "\n".join(
        [
            title(run, i18n),
            *_sim_line(run, i18n),
            i18n(
                "backtest-period",
                start=_day(run.start_ms),
                end=_day(run.end_ms),
                days=run.period_days or 0,
            ),
            f"{progress_bar(fraction)} {round(fraction * 100)}%",
            i18n(f"backtest-phase-{phase}"),
        ]
    )


# How each strategy's orders fill (the card's footer says it): signal strategies enter
# at the next open; the path simulators fill their own order types.
FILL_RULES = {"grid": "grid", "dca": "dca", "rebalance": "rebalance"}


def _pct(value: Any, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format_percent(Decimal(str(value)) * 100, signed=signed)


def _ratio(metrics: dict[str, Any], key: str) -> str:
    """A ratio of the stored metrics (``json_safe`` form: null plus an infinity flag)."""
    return format_ratio(from_json(metrics.get(key), metrics, key))


def _money(value: Any, currency: str) -> str:
    if value is None:
        return "—"
    return format_money(Decimal(str(value)), currency)


def render_card(run: RunDTO, i18n: Translate) -> str:
    """The result card of a finished run (or the line saying why it has none)."""
    head = [title(run, i18n), *_sim_line(run, i18n)]
    if run.status != "done" or run.metrics is None:
        key = f"backtest-status-{run.status}"
        reason = i18n(f"backtest-error-{run.error}") if run.error else ""
        return "\n".join([*head, i18n(key, reason=reason)])
    m = run.metrics
    quote = run.symbol.split("/")[-1].split(":")[0]
    bench = (m.get("benchmark") or {}).get("total_return")
    lines = [
        *head,
        i18n(
            "backtest-period-bars",
            start=_day(m.get("start")),
            end=_day(m.get("end")),
            bars=run.bars or 0,
            source=escape(run.source or "?"),
        ),
        "",
        i18n(
            "backtest-card-return", value=_pct(m.get("total_return"), True), hold=_pct(bench, True)
        ),
        i18n(
            "backtest-card-equity",
            value=_money(m.get("final_equity"), quote),
            start=_money(run.initial_cash, quote),
        ),
        i18n(
            "backtest-card-drawdown",
            value=_pct(m.get("max_drawdown")),
            days=f"{float(m.get('max_drawdown_days') or 0):.1f}",
        ),
        i18n(
            "backtest-card-ratios",
            sharpe=_ratio(m, "sharpe"),
            sortino=_ratio(m, "sortino"),
            calmar=_ratio(m, "calmar"),
        ),
        i18n(
            "backtest-card-trades",
            trades=m.get("trades") or 0,
            open=m.get("open_trades") or 0,
            win_rate=_pct(m.get("win_rate")),
            pf=_ratio(m, "profit_factor"),
        ),
        i18n(
            "backtest-card-expectancy",
            value=_money(m.get("expectancy"), quote),
            avg_r=_ratio(m, "avg_r"),
        ),
        i18n(
            "backtest-card-exposure",
            exposure=_pct(m.get("exposure")),
            fees=_money(m.get("fees"), quote),
        ),
        "",
        i18n(
            "backtest-card-footer",
            fee=_pct(run.config.get("fee_rate")),
            fills=i18n(f"backtest-fills-{FILL_RULES.get(run.strategy, 'signal')}"),
        ),
    ]
    return "\n".join(lines)


def render_list(runs: list[RunDTO], i18n: Translate) -> str:
    if not runs:
        return i18n("backtest-list-empty")
    lines = [i18n("backtest-list-title")]
    for run in runs:
        ret = _pct((run.metrics or {}).get("total_return"), True) if run.status == "done" else ""
        lines.append(
            i18n(
                "backtest-list-row",
                id=run.id,
                symbol=escape(run.symbol),
                timeframe=run.timeframe,
                strategy=run.strategy,
                days=run.period_days or 0,
                status=i18n(f"backtest-state-{run.status}"),
                result=ret,
                created=run.created_at.strftime("%Y-%m-%d %H:%M"),
            )
        )
    return "\n".join(lines)
