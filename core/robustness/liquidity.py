"""Execution under thin markets: fill ratio and slippage of an order, and circuit breakers.

Order-book model (no book history exists in the candle data, so it is parametric):
liquidity within 1 % of the mid is ``depth`` quote, spread evenly over that 1 % (a
linear book). A market order of ``q`` quote may take at most ``participation`` of the
bar's quote volume and at most the 1 % depth; what is left is unfilled. Walking the book
through ``f`` quote moves the price ``f / depth * 1 %``, so the average fill is
``half spread + f / depth * 0.5 %`` away from the mid. Normal depth is ``depth_ratio``
times the median bar quote volume (``volume * close``); a scenario multiplies spread,
volume and depth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

BOOK_RANGE = 0.01  # the depth figure is liquidity within 1 % of the mid


@dataclass(frozen=True, slots=True, kw_only=True)
class LiquidityModel:
    spread: float = 0.0002  # normal bid-ask spread as a fraction of the mid (2 bps)
    depth_ratio: float = 0.5  # normal depth within 1 % = this x median bar quote volume
    participation: float = 0.1  # an order takes at most this share of a bar's volume

    def normal_depth(self, frame: pd.DataFrame) -> float:
        quote = frame["volume"].to_numpy(dtype=np.float64) * frame["close"].to_numpy(
            dtype=np.float64
        )
        return float(np.median(quote)) * self.depth_ratio if quote.size else 0.0


@dataclass(frozen=True, slots=True)
class Execution:
    notional: float  # quote wanted
    filled: float  # quote filled
    slippage: float  # average distance of the fill from the mid, fraction

    @property
    def fill_ratio(self) -> float:
        return self.filled / self.notional if self.notional > 0 else 1.0

    @property
    def cost(self) -> float:
        """Slippage in quote on the filled part."""
        return self.filled * self.slippage


def execute(
    notional: float,
    bar_volume_quote: float,
    depth: float,
    model: LiquidityModel,
    *,
    spread_mult: float = 1.0,
) -> Execution:
    """Fill and slippage of a market order for ``notional`` quote (see module docstring)."""
    cap = min(depth, model.participation * bar_volume_quote)
    filled = max(0.0, min(notional, cap))
    impact = filled / depth * BOOK_RANGE / 2 if depth > 0 else 0.0
    return Execution(notional, filled, model.spread * spread_mult / 2 + impact)


@dataclass(frozen=True, slots=True, kw_only=True)
class CircuitBreakers:
    """When the bot would stop trading (docs/architecture.md, "Robustness tools").

    price: a move of ``price_move`` or more within ``price_window_min`` minutes;
    spread: spread at or above ``spread_mult`` x normal; volume: bar volume at or below
    ``volume_floor`` x normal; depth: depth at or below ``depth_floor`` x normal;
    drawdown: strategy equity ``max_drawdown`` or more below its peak inside the scenario.
    """

    price_move: float = 0.10
    price_window_min: float = 10.0
    spread_mult: float = 2.5
    volume_floor: float = 0.4
    depth_floor: float = 0.25
    max_drawdown: float = 0.10

    def check(
        self,
        *,
        move_in_window: float,
        spread_mult: float,
        volume_mult: float,
        depth_mult: float,
        drawdown: float,
    ) -> dict[str, bool]:
        return {
            "price": move_in_window >= self.price_move,
            "spread": spread_mult >= self.spread_mult,
            "volume": volume_mult <= self.volume_floor,
            "depth": depth_mult <= self.depth_floor,
            "drawdown": drawdown >= self.max_drawdown,
        }
