"""Common ground of the path simulators (`grid`, `dca`, `rebalance`).

These strategies are not signal strategies: their orders rest between candles and fill
along the price path inside a candle, so they simulate themselves instead of emitting a
`SignalFrame`. They share one small interface — ``simulate(frame, *, initial_cash,
fee_rate) -> PathResult`` — and one result shape, the fields of `BacktestResult`
(contracts section 10) plus ``extra`` (the strategy's own report), so metrics, the CLI
and reports treat them like any backtest.

Intra-candle path (issue 6): a down candle (close < open) is swept
open → low → high → close, an up candle (close >= open) open → high → low → close.
Before the open comes the gap from the previous close: a resting limit order the gap
jumps over fills at the open (the better price); inside the candle, limit orders fill
at their level when the sweep touches it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from core.trade_columns import TRADE_COLUMNS as BACKTEST_TRADE_COLUMNS

# The backtest trade columns without ``position_id``: a path simulator's row is one
# whole trade, so it has no position to group exits by.
TRADE_COLUMNS: tuple[str, ...] = tuple(c for c in BACKTEST_TRADE_COLUMNS if c != "position_id")


@dataclass(slots=True)
class PathResult:
    """BacktestResult-compatible output of a path simulator."""

    trades: pd.DataFrame
    equity: np.ndarray
    timestamps: np.ndarray
    params: dict[str, Any]
    initial_cash: float
    extra: dict[str, Any] = field(default_factory=dict)
    close: np.ndarray | None = None  # closes of the simulated bars: buy-and-hold benchmark


@runtime_checkable
class PathStrategy(Protocol):
    """A strategy that simulates its own orders over a candle frame."""

    name: str
    kind: ClassVar[str]  # "path"

    def simulate(
        self, frame: pd.DataFrame, *, initial_cash: float, fee_rate: float = 0.001
    ) -> PathResult: ...


class Segment(NamedTuple):
    """One monotonic leg of the price path; ``gap`` legs fill at their end (the open)."""

    start: float
    end: float
    gap: bool = False

    @property
    def down(self) -> bool:
        return self.end < self.start


def candle_path(
    prev_close: float | None, o: float, h: float, low: float, c: float
) -> list[Segment]:
    """The legs of one candle in sweep order (zero-length legs dropped)."""
    legs = []
    if prev_close is not None and prev_close != o:
        legs.append(Segment(prev_close, o, True))
    a, b = (low, h) if c < o else (h, low)
    for start, end in ((o, a), (a, b), (b, c)):
        if start != end:
            legs.append(Segment(start, end))
    return legs


def fill_price(seg: Segment, level: float) -> float:
    """A limit order at ``level`` crossed by ``seg``: the level, or the open on a gap."""
    return seg.end if seg.gap else level


class TradeLog:
    """Round trips collected during a simulation, turned into the contract's table."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.assets: list[str | None] = []

    def close(
        self,
        *,
        entry_time: int,
        exit_time: int | None,
        side: str,
        entry_price: float,
        exit_price: float | None,
        qty: float,
        fees: float,
        pnl: float,
        exit_reason: str | None,
        entry_bar: int,
        exit_bar: int | None,
        asset: str | None = None,
    ) -> None:
        self.assets.append(asset)
        self.rows.append(
            (
                entry_time,
                exit_time,
                side,
                entry_price,
                exit_price,
                qty,
                fees,
                pnl,
                exit_reason,
                np.nan,
                entry_bar,
                exit_bar,
            )
        )

    def lot(
        self,
        *,
        side: int,
        qty: float,
        entry_price: float,
        entry_time: int,
        entry_bar: int,
        entry_fee: float,
        mark: float,
        exit_fee: float = 0.0,
        exit_time: int | None = None,
        exit_bar: int | None = None,
        reason: str | None = None,
        asset: str | None = None,
    ) -> None:
        """A position of ``qty`` (side 1 long, -1 short) closed at ``mark``, or, without
        ``exit_time``, still open and marked there; pnl is net of both fees."""
        closed = exit_time is not None
        self.close(
            entry_time=entry_time,
            exit_time=exit_time,
            side="long" if side > 0 else "short",
            entry_price=entry_price,
            exit_price=mark if closed else None,
            qty=qty,
            fees=entry_fee + exit_fee,
            pnl=side * qty * (mark - entry_price) - entry_fee - exit_fee,
            exit_reason=reason,
            entry_bar=entry_bar,
            exit_bar=exit_bar,
            asset=asset,
        )

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.rows, columns=list(TRADE_COLUMNS))
        for col in ("entry_price", "exit_price", "qty", "fees", "pnl", "r_multiple"):
            df[col] = df[col].astype(np.float64)
        for col in ("entry_time", "exit_time", "entry_bar", "exit_bar"):
            # int64 when every trade is closed; float64 with NaN for an open trade's exit
            df[col] = df[col].astype(np.float64 if df[col].isna().any() else np.int64)
        if any(a is not None for a in self.assets):
            df["asset"] = self.assets  # multi-asset simulators name the asset of each row
        return df


def frame_arrays(frame: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """``timestamp, open, high, low, close`` as int64 / float64 arrays.

    The simulators loop bar by bar in Python; they index ``.tolist()`` copies of these,
    since arithmetic on numpy scalars is several times slower than on floats.
    """
    return (
        frame["timestamp"].to_numpy(dtype=np.int64),
        frame["open"].to_numpy(dtype=np.float64),
        frame["high"].to_numpy(dtype=np.float64),
        frame["low"].to_numpy(dtype=np.float64),
        frame["close"].to_numpy(dtype=np.float64),
    )
