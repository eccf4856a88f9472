"""Portfolio backtest: one strategy on several symbols sharing one capital pool.

Each symbol's signals come from the same ``generate(frame)`` as single-symbol runs, on
the bars all symbols share. Fills use the shared rules of `core.fills` (entry at the
next open, stop/TP inside the bar or at the open on a gap, stop wins, 50/30/20
take-profits with breakeven after TP1). Accounting is margin-style at 1x: entry and
exit fees and realised PnL move cash; equity is cash plus open PnL at the close.

Risk rules, checked when a signal would open a position (candidates of one bar in
order of confidence): at most ``max_positions`` open; total open notional at most
``max_exposure`` x equity; the return correlation over the last ``corr_window`` bars
with every open symbol at most ``max_correlation``. Refused signals go to ``blocked``
with the rule's name. A new position's notional is ``position_pct`` % of equity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.fills import PositionState, close_position, open_position, step_position
from core.strategies.base import Strategy
from core.strategies.pathsim import TRADE_COLUMNS, PathResult
from core.strategies.rebalance import align_frames


@dataclass(frozen=True, slots=True, kw_only=True)
class PortfolioRules:
    max_positions: int = 3
    max_exposure: float = 1.0  # open notional / equity
    max_correlation: float = 0.8
    corr_window: int = 168  # bars of returns behind the correlation rule
    position_pct: float = 20.0  # notional per position, % of equity

    def __post_init__(self) -> None:
        if self.max_positions < 1 or self.corr_window < 3:
            raise ValueError("max_positions >= 1 and corr_window >= 3 are required")
        if self.max_exposure <= 0 or not 0 < self.position_pct <= 100:
            raise ValueError("max_exposure > 0 and 0 < position_pct <= 100 are required")


@dataclass(frozen=True, slots=True)
class PortfolioResult:
    result: PathResult  # BacktestResult-shaped; trades carry a "symbol" column
    blocked: pd.DataFrame  # time, bar, symbol, side, reason
    correlation: pd.DataFrame  # of per-bar log returns over the whole period
    symbols: tuple[str, ...]


def correlation_matrix(closes: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Pearson correlation of per-bar log returns, symbols x symbols."""
    rets = {k: np.diff(np.log(np.asarray(v, dtype=np.float64))) for k, v in closes.items()}
    return pd.DataFrame(rets).corr()


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    if a.size < 3 or np.std(a) == 0 or np.std(b) == 0:
        return math.nan
    return float(np.corrcoef(a, b)[0, 1])


def _level(x: float) -> float:
    return 0.0 if not np.isfinite(x) else float(x)


class _Book:
    """Cash, open positions (symbol -> state, id, entry bar) and exit-fill rows."""

    def __init__(self, cash: float) -> None:
        self.cash = cash
        self.open: dict[str, tuple[PositionState, int, int]] = {}
        self.rows: list[dict[str, Any]] = []
        self.entry_ts: dict[int, int] = {}
        self.init_stop: dict[int, float] = {}

    def enter(self, sym: str, state: PositionState, entry_fee: float, ts: int, bar: int) -> None:
        pid = len(self.entry_ts)
        self.cash -= entry_fee
        self.open[sym] = (state, pid, bar)
        self.entry_ts[pid] = ts
        self.init_stop[pid] = float(state.stop)

    def row(
        self, sym: str, state: PositionState, qty: float, ts: int | None, bar: int
    ) -> dict[str, Any]:
        """A trade row for ``qty`` of the position; exit fields are filled by the caller."""
        _, pid, entry_bar = self.open[sym]
        return {
            "position_id": pid,
            "symbol": sym,
            "entry_time": self.entry_ts[pid],
            "side": "long" if state.side > 0 else "short",
            "entry_price": state.entry_price,
            "qty": qty,
            "entry_fee": state.fills[0].fee * qty / state.qty,
            "entry_bar": entry_bar,
            "exit_time": ts,
        }

    def record(self, sym: str, fills: list[Any], ts: int, bar: int) -> None:
        state, pid, _ = self.open[sym]
        for f in fills:
            self.cash += f.pnl - f.fee
            row = self.row(sym, state, f.qty, ts, bar)
            pnl = f.pnl - f.fee - row["entry_fee"]
            stop = self.init_stop[pid]
            risk = abs(state.entry_price - stop) * f.qty if stop else 0.0
            row.update(
                exit_price=f.price,
                fees=row["entry_fee"] + f.fee,
                pnl=pnl,
                exit_reason=f.reason,
                r_multiple=pnl / risk if risk > 0 else math.nan,
                exit_bar=bar,
            )
            self.rows.append(row)
        if not state.is_open:
            del self.open[sym]

    def unrealised(self, prices: Mapping[str, float]) -> float:
        return sum(
            s.side * s.remaining * (prices[sym] - s.entry_price)
            for sym, (s, _, _) in self.open.items()
        )

    def exposure(self, prices: Mapping[str, float]) -> float:
        return sum(s.remaining * prices[sym] for sym, (s, _, _) in self.open.items())


def portfolio_backtest(
    frames: Mapping[str, pd.DataFrame],
    strategy: Strategy,
    *,
    initial_cash: float = 10_000.0,
    fee_rate: float = 0.001,
    slippage_bps: float = 0.0,
    rules: PortfolioRules | None = None,
) -> PortfolioResult:
    rules = rules or PortfolioRules()
    ts, px = align_frames(frames)
    syms = tuple(frames)
    n = ts.size
    aligned = {
        s: pd.DataFrame(
            {
                "timestamp": ts,
                **{c: px[s][:, i] for i, c in enumerate(("open", "high", "low", "close"))},
                "volume": _volume(frames[s], ts),
            }
        )
        for s in syms
    }
    sig = {s: strategy.generate(aligned[s]) for s in syms}
    logret = {s: np.concatenate(([np.nan], np.diff(np.log(px[s][:, 3])))) for s in syms}
    book = _Book(float(initial_cash))
    blocked: list[dict[str, Any]] = []
    equity = np.full(n, float(initial_cash))
    for t in range(1, n):
        o = {s: px[s][t, 0] for s in syms}
        prev_close = {s: px[s][t - 1, 3] for s in syms}
        # signal exits and reversals at this open
        for s in list(book.open):
            state = book.open[s][0]
            d = int(sig[s].direction[t - 1])
            if sig[s].exit[t - 1] == 1 or (d != 0 and d != state.side):
                fill = close_position(state, o[s], "signal")
                book.record(s, [fill] if fill else [], int(ts[t]), t)
        # new entries, most confident first
        eq_prev = book.cash + book.unrealised(prev_close)
        cands = [s for s in syms if sig[s].direction[t - 1] != 0 and s not in book.open]
        cands.sort(key=lambda s: -float(sig[s].confidence[t - 1]))
        for s in cands:
            side = int(sig[s].direction[t - 1])
            reason = _refusal(s, book, rules, eq_prev, o, logret, t)
            if reason is not None:
                blocked.append(
                    {
                        "time": int(ts[t]),
                        "bar": t,
                        "symbol": s,
                        "side": "long" if side > 0 else "short",
                        "reason": reason,
                    }
                )
                continue
            qty = rules.position_pct / 100 * eq_prev / o[s]
            state, fill = open_position(
                side,
                o[s],
                qty,
                stop=_level(sig[s].stop[t - 1]),
                tp1=_level(sig[s].tp1[t - 1]),
                tp2=_level(sig[s].tp2[t - 1]),
                tp3=_level(sig[s].tp3[t - 1]),
                fee_rate=fee_rate,
                slippage_bps=slippage_bps,
            )
            book.enter(s, state, fill.fee, int(ts[t]), t)
        # the bar itself: stops and take-profits
        for s in list(book.open):
            state = book.open[s][0]
            fills = step_position(state, px[s][t, 0], px[s][t, 1], px[s][t, 2], px[s][t, 3])
            book.record(s, fills, int(ts[t]), t)
        equity[t] = book.cash + book.unrealised({s: px[s][t, 3] for s in syms})
    trades = _trades_frame(book, {s: px[s][-1, 3] for s in syms} if n else {})
    return PortfolioResult(
        result=PathResult(
            trades=trades,
            equity=equity,
            timestamps=ts,
            params={"strategy": getattr(strategy, "name", ""), "symbols": list(syms)},
            initial_cash=float(initial_cash),
            extra={"blocked": len(blocked)},
        ),
        blocked=pd.DataFrame(blocked, columns=["time", "bar", "symbol", "side", "reason"]),
        correlation=correlation_matrix({s: px[s][:, 3] for s in syms}),
        symbols=syms,
    )


def _volume(frame: pd.DataFrame, ts: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(frame["timestamp"].to_numpy(dtype=np.int64), ts)
    return frame["volume"].to_numpy(dtype=np.float64)[idx]


def _refusal(
    sym: str,
    book: _Book,
    rules: PortfolioRules,
    equity: float,
    price: Mapping[str, float],
    logret: Mapping[str, np.ndarray],
    t: int,
) -> str | None:
    if len(book.open) >= rules.max_positions:
        return "max_positions"
    notional = rules.position_pct / 100 * equity
    if book.exposure(price) + notional > rules.max_exposure * equity * (1 + 1e-12):
        return "exposure"
    lo = max(1, t - rules.corr_window)
    for other in book.open:
        c = _corr(logret[sym][lo:t], logret[other][lo:t])
        if np.isfinite(c) and c > rules.max_correlation:
            return "correlation"
    return None


def _trades_frame(book: _Book, last_close: Mapping[str, float]) -> pd.DataFrame:
    rows = list(book.rows)
    for sym, (state, _, _) in list(book.open.items()):
        row = book.row(sym, state, state.remaining, None, 0)
        pnl = state.side * state.remaining * (last_close[sym] - state.entry_price)
        row.update(
            exit_price=math.nan,
            fees=row["entry_fee"],
            pnl=pnl - row["entry_fee"],
            exit_reason="end",
            r_multiple=math.nan,
            exit_bar=None,
        )
        rows.append(row)
    df = pd.DataFrame(rows, columns=["position_id", "symbol", *TRADE_COLUMNS])
    for col in ("exit_time", "exit_bar"):
        df[col] = pd.array(df[col], dtype="Int64")
    return df
