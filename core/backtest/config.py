"""Backtest settings: one frozen, validated value shared by the CLI, chat and optimizer."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

SizeMode = Literal["fixed_qty", "quote", "equity_pct", "risk"]
Direction = Literal["long", "short", "both"]

SIZE_MODES: tuple[str, ...] = ("fixed_qty", "quote", "equity_pct", "risk")
DIRECTIONS: tuple[str, ...] = ("long", "short", "both")


class BacktestConfigError(ValueError):
    """A setting is out of range; the message names it (shown to users as is)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BacktestConfig:
    """How to simulate. Fractions are fractions (0.001 = 0.1 %) except where named _pct.

    Sizing (``size`` is read per ``size_mode``):
      fixed_qty   ``size`` units of the base asset;
      quote       ``size`` of quote currency as margin (notional = size x leverage);
      equity_pct  ``size`` percent of equity (previous close) as margin;
      risk        lose ``size`` percent of equity if the signal's stop is hit.
    Quantities that need more margin than free cash are cut to fit, except
    ``fixed_qty``, whose signal is refused ("insufficient_cash") as backtesting.py does.
    """

    initial_cash: float = 10_000.0
    fee_rate: float = 0.001  # per side, on every fill
    slippage_bps: float = 0.0  # market fills: entries, stops, signal exits
    slippage_atr: float = 0.0  # market fills: this fraction of ATR (previous bar)
    atr_period: int = 14
    size_mode: SizeMode = "equity_pct"
    size: float = 10.0
    leverage: float = 1.0
    maintenance_margin: float = 0.005  # liquidation model, see core/fills.py
    direction: Direction = "both"
    max_positions: int = 1
    trailing_stop: float = 0.0  # fraction below the best high (above the best low)
    close_on_opposite: bool = True  # an opposite signal closes open positions first
    start: int | None = None  # ms; signals before it only warm indicators up
    end: int | None = None  # ms, inclusive (candle open time)

    def __post_init__(self) -> None:
        def bad(name: str, why: str) -> BacktestConfigError:
            return BacktestConfigError(f"{name} {why}")

        finite = (
            "initial_cash",
            "fee_rate",
            "slippage_bps",
            "slippage_atr",
            "size",
            "leverage",
            "maintenance_margin",
            "trailing_stop",
        )
        for name in finite:
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value):
                raise bad(name, f"must be a finite number, got {value!r}")
        if self.initial_cash <= 0:
            raise bad("initial_cash", "must be positive")
        if not 0 <= self.fee_rate < 0.1:
            raise bad("fee_rate", "must be in [0, 0.1)")
        if not 0 <= self.slippage_bps < 1000:
            raise bad("slippage_bps", "must be in [0, 1000)")
        if not 0 <= self.slippage_atr < 10:
            raise bad("slippage_atr", "must be in [0, 10)")
        if self.atr_period < 1:
            raise bad("atr_period", "must be at least 1")
        if self.size_mode not in SIZE_MODES:
            raise bad("size_mode", f"must be one of {', '.join(SIZE_MODES)}")
        if self.size <= 0:
            raise bad("size", "must be positive")
        if self.size_mode in ("equity_pct", "risk") and self.size > 100:
            raise bad("size", "is a percent of equity and must be at most 100")
        if not 1 <= self.leverage <= 125:
            raise bad("leverage", "must be between 1 and 125")
        if not 0 <= self.maintenance_margin < 0.5:
            raise bad("maintenance_margin", "must be in [0, 0.5)")
        if self.maintenance_margin >= 1 / self.leverage:
            # At mmr >= 1/L the liquidation price lies at or beyond the entry: every
            # position would be liquidated the moment it opens.
            raise bad(
                "maintenance_margin",
                f"must be below 1/leverage ({1 / self.leverage:.4g} at {self.leverage:g}x)",
            )
        if self.direction not in DIRECTIONS:
            raise bad("direction", f"must be one of {', '.join(DIRECTIONS)}")
        if self.max_positions < 1:
            raise bad("max_positions", "must be at least 1")
        if not 0 <= self.trailing_stop < 1:
            raise bad("trailing_stop", "must be in [0, 1)")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise bad("start", "is after end")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
