"""Spot grid: limit buys and sells resting on fixed levels, a counter order after each fill.

Levels ``L_0 < ... < L_{n-1}`` (arithmetic: equal steps; geometric: equal ratios) between
fixed bounds, or bounds of ``close ± atr_mult * ATR`` at the first bar with an ATR (the
grid then starts at the next open). Slot ``i`` trades between ``L_i`` and ``L_{i+1}``:
empty, it rests a buy of ``amount_per_level / L_i`` base at ``L_i``; holding, it rests
the counter sell at ``L_{i+1}``. A buy fill places the sell, a sell fill (one completed
cycle) places the buy again. At the start, slots whose buy level is at or above the open
are bought at the open (as exchange grid bots do), so they can rest their sells.

Fills follow the candle sweep of `core.strategies.pathsim` (down candle O→L→H→C, up
candle O→H→L→C; a gap fills at the open). A counter order fills in the same candle
only when a later leg of the sweep reaches it. Fees per fill; buys need the cash.

Stops end the grid (sell everything, cancel orders): ``stop_loss`` (a price touched on a
falling leg, filled at the level or the open on a gap), ``take_profit`` (a price on a
rising leg), ``max_drawdown`` (equity below peak by that fraction, checked at closes,
sold at the close). Trailing re-centres the grid on the close when a close leaves the
bounds, at most once per ``cooldown_bars``: inventory is sold at the close and the grid
restarts around it.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import asdict, dataclass
from typing import ClassVar, Literal

import numpy as np
import pandas as pd

from core.strategies.pathsim import (
    PathResult,
    Segment,
    TradeLog,
    candle_path,
    fill_price,
    frame_arrays,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class GridConfig:
    lower: float | None = None
    upper: float | None = None
    levels: int = 10
    spacing: Literal["arithmetic", "geometric"] = "arithmetic"
    atr_period: int = 14
    atr_mult: float = 3.0
    amount_per_level: float | None = None  # quote per buy; None = cash / slots
    trailing: bool = False
    cooldown_bars: int = 24
    stop_loss: float | None = None
    take_profit: float | None = None
    max_drawdown: float | None = None

    def __post_init__(self) -> None:
        if self.levels < 2:
            raise ValueError("grid needs at least 2 levels")
        if self.spacing not in ("arithmetic", "geometric"):
            raise ValueError(f"unknown grid spacing {self.spacing!r}")
        if (self.lower is None) != (self.upper is None):
            raise ValueError("give both grid bounds or neither (ATR bounds)")
        if self.lower is not None and not 0 < self.lower < self.upper:  # type: ignore[operator]
            raise ValueError("grid bounds must satisfy 0 < lower < upper")
        if self.max_drawdown is not None and not 0 < self.max_drawdown < 1:
            raise ValueError("max_drawdown is a fraction between 0 and 1")


def grid_levels(lower: float, upper: float, n: int, spacing: str) -> np.ndarray:
    """``n`` prices from ``lower`` to ``upper``, equally spaced or in equal ratios."""
    if spacing == "geometric":
        return np.geomspace(lower, upper, n)
    return np.linspace(lower, upper, n)


class _Book:
    """Grid state: cash, slots (held lots) and the trade log."""

    def __init__(self, cash: float, fee: float) -> None:
        self.cash = cash
        self.fee = fee
        self.log = TradeLog()
        self.cycles = 0
        self.unfunded = 0
        self.levels: list[float] = []
        self.qty: list[float] = []
        self.held: list[tuple[float, int, int, float] | None] = []
        self.touched: set[int] = set()
        self.levels_before = 0  # levels (and touched ones) of grids replaced by re-centring
        self.touched_before = 0
        self.base = 0.0  # base asset held (sum of held slots' quantities)

    def set_levels(self, levels: np.ndarray, amount: float) -> None:
        """Lay out (or re-lay, when nothing is held) the levels and slot sizes."""
        self.levels_before += len(self.levels)
        self.touched_before += len(self.touched)
        self.levels = levels.tolist()
        self.qty = [amount / lv for lv in self.levels[:-1]]
        self.held = [None] * (len(self.levels) - 1)
        self.touched = set()

    def fill_rate(self) -> float:
        total = self.levels_before + len(self.levels)
        return (self.touched_before + len(self.touched)) / total if total else 0.0

    def inventory(self) -> float:
        return self.base

    def buy(self, i: int, price: float, ts: int, bar: int) -> bool:
        cost = self.qty[i] * price
        fee = cost * self.fee
        if self.cash < cost + fee:
            self.unfunded += 1
            return False
        self.cash -= cost + fee
        self.held[i] = (price, ts, bar, fee)
        self.base += self.qty[i]
        return True

    def sell(self, i: int, price: float, ts: int, bar: int, reason: str) -> None:
        entry, ets, ebar, efee = self.held[i]  # type: ignore[misc]
        q = self.qty[i]
        fee = q * price * self.fee
        self.cash += q * price - fee
        self.held[i] = None
        self.base -= q
        self.cycles += reason == "grid"
        self.log.lot(
            side=1,
            qty=q,
            entry_price=entry,
            entry_time=ets,
            entry_bar=ebar,
            entry_fee=efee,
            mark=price,
            exit_fee=fee,
            exit_time=ts,
            exit_bar=bar,
            reason=reason,
        )

    def sell_all(self, price: float, ts: int, bar: int, reason: str) -> None:
        for i, h in enumerate(self.held):
            if h is not None:
                self.sell(i, price, ts, bar, reason)

    def open_at(self, price: float, ts: int, bar: int) -> None:
        """Start: market-buy every slot whose buy level is at or above ``price``."""
        for i, lv in enumerate(self.levels[:-1]):
            if lv >= price:
                self.buy(i, price, ts, bar)

    def sweep(self, seg: Segment, ts: int, bar: int) -> None:
        """Fill the orders one monotonic leg crosses, in the order it crosses them."""
        lv = self.levels
        if seg.down:  # buys at L_i with end <= L_i < start, highest first
            lo, hi = bisect.bisect_left(lv, seg.end), bisect.bisect_left(lv, seg.start)
            for i in range(min(hi, len(lv) - 1) - 1, lo - 1, -1):
                if self.held[i] is None and self.buy(i, fill_price(seg, lv[i]), ts, bar):
                    self.touched.add(i)
        else:  # sells at L_{i+1} with start < L_{i+1} <= end, lowest first
            lo, hi = bisect.bisect_right(lv, seg.start), bisect.bisect_right(lv, seg.end)
            for j in range(max(lo, 1), hi):
                if self.held[j - 1] is not None:
                    self.sell(j - 1, fill_price(seg, lv[j]), ts, bar, "grid")
                    self.touched.add(j)

    def close_open(self, price: float) -> None:
        """Log lots still held at the end as open trades marked at ``price``."""
        for i, h in enumerate(self.held):
            if h is not None:
                entry, ets, ebar, efee = h
                self.log.lot(
                    side=1,
                    qty=self.qty[i],
                    entry_price=entry,
                    entry_time=ets,
                    entry_bar=ebar,
                    entry_fee=efee,
                    mark=price,
                )


class GridStrategy:
    """`PathStrategy` for the spot grid; see the module docstring for the rules."""

    name = "grid"
    kind: ClassVar[str] = "path"

    def __init__(self, config: GridConfig | None = None, **params: object) -> None:
        self.config = config or GridConfig(**params)  # type: ignore[arg-type]

    def bounds(self, frame: pd.DataFrame) -> tuple[int, float, float]:
        """``(start bar, lower, upper)``: the given bounds from bar 0, or ATR bounds."""
        cfg = self.config
        if cfg.lower is not None and cfg.upper is not None:
            return 0, cfg.lower, cfg.upper
        from core.indicators import atr  # only ATR bounds need the indicator kernels

        _, _, h, lo, c = frame_arrays(frame)
        a = atr(h, lo, c, cfg.atr_period)
        ready = np.flatnonzero(np.isfinite(a))
        if ready.size == 0 or ready[0] + 1 >= c.size:
            return c.size, math.nan, math.nan
        t = int(ready[0])
        width = cfg.atr_mult * float(a[t])
        lower = c[t] - width if c[t] > width else c[t] / (1.0 + width / c[t])
        return t + 1, float(lower), float(c[t] + width)

    def simulate(
        self, frame: pd.DataFrame, *, initial_cash: float, fee_rate: float = 0.001
    ) -> PathResult:
        cfg = self.config
        arrays = frame_arrays(frame)
        c_arr = arrays[4]
        ts, o, h, lo, c = (a.tolist() for a in arrays)
        n = len(ts)
        start, lower, upper = self.bounds(frame)
        cash = float(initial_cash)
        equity = np.full(n, cash)
        book = _Book(cash, fee_rate)
        amount = cfg.amount_per_level or cash / (cfg.levels - 1) / (1.0 + fee_rate)
        stop_reason: str | None = None
        recenters, last_center, peak = 0, start - cfg.cooldown_bars, cash
        for t in range(start, n):
            stamp = ts[t]
            if t == start:
                book.set_levels(grid_levels(lower, upper, cfg.levels, cfg.spacing), amount)
                book.open_at(o[t], stamp, t)
            if stop_reason is None:
                prev = c[t - 1] if t > start else None
                stop_reason = self._bar(book, prev, o[t], h[t], lo[t], c[t], stamp, t)
            value = book.cash + book.inventory() * c[t]
            peak = max(peak, value)
            if (
                stop_reason is None
                and cfg.max_drawdown is not None
                and value < peak * (1.0 - cfg.max_drawdown)
            ):
                book.sell_all(c[t], stamp, t, "max_drawdown")
                stop_reason = "max_drawdown"
            if (
                stop_reason is None
                and cfg.trailing
                and not lower <= c[t] <= upper
                and t - last_center >= cfg.cooldown_bars
            ):
                book.sell_all(c[t], stamp, t, "recenter")
                lower, upper = recentred_bounds(c[t], lower, upper, cfg.spacing)
                book.set_levels(grid_levels(lower, upper, cfg.levels, cfg.spacing), amount)
                book.open_at(c[t], stamp, t)
                recenters, last_center = recenters + 1, t
            equity[t] = book.cash + book.inventory() * c[t]
        if n and start < n:
            book.close_open(c[-1])
        trades = book.log.frame()
        grid = trades[trades["exit_reason"] == "grid"]
        levels = np.asarray(book.levels)
        steps = np.diff(levels) / levels[:-1] if levels.size > 1 else np.full(1, math.nan)
        committed = amount * (cfg.levels - 1)
        profit = float(grid["pnl"].sum())
        return PathResult(
            trades=trades,
            equity=equity,
            timestamps=arrays[0],
            params={"strategy": self.name, **asdict(cfg)},
            close=c_arr,
            initial_cash=cash,
            extra={
                "started": start < n,
                "start_bar": int(start),
                "levels": levels.tolist(),
                "cycles": book.cycles,
                "level_fill_rate": book.fill_rate(),
                "grid_profit": profit,
                "profit_per_cycle": float(grid["pnl"].mean()) if len(grid) else math.nan,
                "profit_per_grid": [
                    float(steps.min() - 2 * fee_rate),
                    float(steps.max() - 2 * fee_rate),
                ],
                "capital_efficiency": profit / committed,
                "recenters": recenters,
                "unfunded_orders": book.unfunded,
                "stop_reason": stop_reason,
            },
        )

    def _bar(
        self,
        book: _Book,
        prev: float | None,
        o: float,
        h: float,
        lo: float,
        c: float,
        ts: int,
        t: int,
    ) -> str | None:
        """Sweep one candle; returns the stop that ended the grid, if one did."""
        cfg = self.config
        bottom = lo if prev is None or prev > lo else prev
        top = h if prev is None or prev < h else prev
        lv = book.levels
        if (
            bisect.bisect_left(lv, bottom) == bisect.bisect_right(lv, top)
            and not (cfg.stop_loss is not None and bottom <= cfg.stop_loss <= top)
            and not (cfg.take_profit is not None and bottom <= cfg.take_profit <= top)
        ):
            return None  # no level, stop or target inside the candle's range: nothing fills
        for seg in candle_path(prev, o, h, lo, c):
            trigger = cfg.stop_loss if seg.down else cfg.take_profit
            if trigger is not None and (
                seg.end <= trigger < seg.start if seg.down else seg.start < trigger <= seg.end
            ):
                # a gap fills every resting order it jumps at the open, then the stop
                if seg.gap:
                    book.sweep(seg, ts, t)
                elif trigger != seg.start:
                    book.sweep(Segment(seg.start, trigger), ts, t)
                book.sell_all(fill_price(seg, trigger), ts, t, _STOP_NAMES[seg.down])
                return _STOP_NAMES[seg.down]
            book.sweep(seg, ts, t)
        return None


_STOP_NAMES = {True: "stop_loss", False: "take_profit"}


def recentred_bounds(close: float, lower: float, upper: float, spacing: str) -> tuple[float, float]:
    """Bounds of the same shape centred on ``close`` (same width, or same ratio)."""
    if spacing == "arithmetic" and close > (upper - lower) / 2:
        half = (upper - lower) / 2
        return close - half, close + half
    root = math.sqrt(upper / lower)
    return close / root, close * root
