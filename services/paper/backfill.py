"""Backfill: the live signal and paper-trading path run over replayed history.

The replay clock steps from candle close to candle close. At each step, in the same
order as the scheduler runs them live: the paper monitor applies the candle that
just closed to open `backfill` positions; the signal scan evaluates the same candle
(SIGNALS' scan, told to tag its signals `backfill`) and every signal
it issues opens a position through the same `PaperService` path a Paper trade press
uses (same sizing, pre-trade hook, fill rules, fees), in the user's separate
`backfill` account; then the signal monitor follows the signals. Positions still
open at the end stay open and are reported; nothing is force-closed.

Re-running over the same span is idempotent: signals are stored once per bar and a
position's request key is derived from its signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.market.timeframes import timeframe_ms
from services.accounts.grammar import DepositCommand
from services.paper.dto import TradeError

log = logging.getLogger(__name__)


@dataclass
class BackfillReport:
    user_id: int
    start_ms: int
    end_ms: int
    steps: int = 0
    signals: int = 0
    opened: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    # The first refusal of each key with its variables, so a report can render the
    # message the chat would have shown (counts alone cannot fill its placeholders).
    refused_examples: dict[str, dict[str, object]] = field(default_factory=dict)
    closed: int = 0
    wins: int = 0
    net_pnl: Decimal = Decimal(0)
    balance: Decimal = Decimal(0)
    open_at_end: int = 0


async def run_backfill(
    services: Any,
    *,
    user_id: int,
    start_ms: int,
    end_ms: int,
    preset: str,
    timeframe: str,
    symbols: list[str],
    deposit: Decimal,
    progress: Callable[[int, int], None] | None = None,
) -> BackfillReport:
    """Step the replay clock over [start_ms, end_ms] and trade what the signals say."""
    clock = services.market.clock
    paper = services.paper
    accounts = services.accounts
    account = await accounts.get(user_id, "backfill")
    if not account.exists:
        await accounts.change(user_id, DepositCommand("set", deposit), mode="backfill")
    step = timeframe_ms(timeframe)
    report = BackfillReport(user_id, start_ms, end_ms)
    first = -(-start_ms // step) * step
    total = max((end_ms - first) // step + 1, 0)
    for index, now in enumerate(range(first, end_ms + 1, step)):
        clock.set(now)
        await paper.monitor.run_once(("backfill",))
        scan = await services.signals.scan(presets=[preset], symbols=symbols, trade_mode="backfill")
        for signal_id in scan.issued:
            signal = await services.signals.get(signal_id)
            if signal is None or signal.trade_mode != "backfill":
                continue
            report.signals += 1
            try:
                result = await paper.open_for_signal(
                    user_id, signal, f"backfill:{user_id}:signal:{signal_id}", "backfill"
                )
            except TradeError as refusal:
                report.refused[refusal.key] = report.refused.get(refusal.key, 0) + 1
                report.refused_examples.setdefault(refusal.key, dict(refusal.params))
                continue
            report.opened += 0 if result.duplicate else 1
        await services.signals.monitor()
        report.steps += 1
        if progress is not None:
            progress(index + 1, total)
    closed = await paper.queries.closed_positions(
        user_id, "backfill", since_ms=start_ms, until_ms=end_ms + step
    )
    report.closed = len(closed)
    report.wins = sum(1 for p in closed if p.net_pnl > 0)
    report.net_pnl = sum((p.net_pnl for p in closed), Decimal(0))
    report.open_at_end = len(await paper.queries.open_positions(user_id, "backfill"))
    report.balance = (await accounts.get(user_id, "backfill")).balance
    return report
