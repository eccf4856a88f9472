"""services/reports/stats.py and digest.py on hand-made fills, checked against
hand-computed figures (textbook formulas written out here, not core.metrics)."""

from __future__ import annotations

import math
import statistics
from decimal import Decimal

from services.paper.dto import FillDTO, PositionDTO
from services.reports.digest import build_digest
from services.reports.stats import mode_stats

D = Decimal
DAY = 86_400_000
T0 = 19_500 * DAY  # a UTC midnight


def fill(fid: int, pid: int, kind: str, day: int, pnl: str, fee: str, symbol: str = "BTC/USDT"):
    return FillDTO(fid, pid, 1, "paper", symbol, "long", kind, D(1), D(100), D(fee), D(pnl),
                   False, T0 + day * DAY + 3_600_000, None)  # fmt: skip


def position(pid: int, net: str, reason: str, day: int, symbol: str = "BTC/USDT") -> PositionDTO:
    return PositionDTO(
        id=pid, user_id=1, trade_mode="paper", source="manual", signal_id=None, symbol=symbol,
        side="long", kind="spot", leverage=1, timeframe="1h", entry_price=D(100), qty=D(1),
        remaining_qty=D(0), margin=D(100), stop=None, initial_stop=None, targets=(), tps_hit=0,
        liquidation_price=None, risk_amount=None, status="closed", exit_reason=reason,
        manual_exit=False, simulated=False, realized_pnl=D(net), fees=D(0),
        opened_ms=T0 + day * DAY, closed_ms=T0 + day * DAY + 3_600_000,
    )  # fmt: skip


# Day 0: +30 net (entry fee 1, exit +32 gross fee 1); day 1: nothing; day 2: -20 net.
FILLS = [
    fill(1, 1, "entry", 0, "0", "1"),
    fill(2, 1, "tp1", 0, "32", "1"),
    fill(3, 2, "entry", 2, "0", "1"),
    fill(4, 2, "stop", 2, "-18", "1", "ETH/USDT"),
]
CLOSED = [position(1, "30", "tp1", 0), position(2, "-20", "stop", 2, "ETH/USDT")]


def test_mode_stats_against_hand_computed_figures() -> None:
    s = mode_stats("paper", D(1000), CLOSED, FILLS)
    assert s.trades == 2 and s.win_rate == 0.5
    assert s.profit_factor == 30 / 20
    assert s.net_pnl == D(10) and s.trading_days == 2 and s.avg_daily_pnl == D(5)
    # calendar days 0..2: pnl 30, 0, -20 on equity 1000 -> 1030 -> 1030 -> 1010
    r = [30 / 1000, 0.0, -20 / 1030]
    sharpe = statistics.mean(r) / statistics.stdev(r) * math.sqrt(365)
    downside = math.sqrt(sum(min(0.0, x) ** 2 for x in r) / len(r))
    assert math.isclose(s.sharpe, sharpe, rel_tol=1e-12)
    assert math.isclose(s.sortino, statistics.mean(r) / downside * math.sqrt(365), rel_tol=1e-12)
    # equity after each fill: 999, 1030, 1029, 1010 -> worst fall 1 - 1010/1030
    assert math.isclose(s.max_drawdown, 1 - 1010 / 1030, rel_tol=1e-12)


def test_empty_mode() -> None:
    s = mode_stats("live", D(0), [], [])
    assert s.empty and s.trades == 0 and math.isnan(s.sharpe) and math.isnan(s.win_rate)


def test_digest_of_one_day() -> None:
    d = build_digest(
        "daily", T0 + 2 * DAY, T0 + 3 * DAY, deposit=D(1000), closed=CLOSED[1:], fills=FILLS,
        open_positions=1,
    )  # fmt: skip
    assert d is not None
    assert (d.trades, d.sl_count, d.tp_count, d.open_positions) == (1, 1, 0, 1)
    assert d.pnl == D(-20) and d.pnl_pct == D(-20) / D(1030) * 100
    assert math.isclose(d.drawdown, 1 - 1010 / 1030, rel_tol=1e-12)
    assert d.winners == [] and d.losers == [("ETH/USDT", D(-20))]
    assert d.curve[-1] == 1010.0 and d.curve_ms[-1] == T0 + 3 * DAY


def test_digest_top_three_and_nothing_to_report() -> None:
    closed = [position(i, str(v), "close", 0, f"S{i}/USDT") for i, v in
              enumerate([5, -1, 7, 3, 9, -4, -2, -8], start=1)]  # fmt: skip
    d = build_digest("weekly", T0, T0 + 7 * DAY, deposit=D(1000), closed=closed,
                     fills=FILLS[:2], open_positions=0)  # fmt: skip
    assert d is not None
    assert [s for s, _ in d.winners] == ["S5/USDT", "S3/USDT", "S1/USDT"]
    assert [s for s, _ in d.losers] == ["S8/USDT", "S6/USDT", "S7/USDT"]
    nothing = build_digest("daily", T0 + DAY, T0 + 2 * DAY, deposit=D(1000), closed=[],
                           fills=FILLS[:2], open_positions=0)  # fmt: skip
    assert nothing is None
