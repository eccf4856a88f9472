"""`ema_cross`: the moving-average crossover used to cross-check the backtest engine.

A long signal when the fast EMA crosses above the slow one, a short signal on the cross
below, with the stop and take-profit set as fractions of the signal bar's close. The
cross is strict on both bars (``fast[t-1] < slow[t-1] and fast[t] > slow[t]``), the
definition of backtesting.py's ``crossover``; EMAs are pandas ``ewm(span,
adjust=False)`` with ``period`` bars of warm-up (``ema(..., seed="first")``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from core.indicators import ema
from core.strategies.base import LONG, SHORT, SignalFrame

CrossDirection = Literal["long", "short", "both"]


@dataclass(frozen=True, slots=True, kw_only=True)
class EmaCrossConfig:
    """``sl``/``tp`` are fractions of the signal close (0.02 = 2 %); 0 disables one."""

    fast: int = 12
    slow: int = 26
    sl: float = 0.02
    tp: float = 0.04
    direction: CrossDirection = "both"

    def __post_init__(self) -> None:
        if not (isinstance(self.fast, int) and isinstance(self.slow, int)):
            raise ValueError("fast and slow must be whole numbers of bars")
        if not 1 <= self.fast < self.slow:
            raise ValueError(f"need 1 <= fast < slow, got fast={self.fast} slow={self.slow}")
        if self.slow > 10_000:
            raise ValueError("slow must be at most 10000 bars")
        if not 0 <= self.sl < 1:
            raise ValueError(f"sl must be a fraction in [0, 1), got {self.sl}")
        if not 0 <= self.tp < 10:
            raise ValueError(f"tp must be a fraction in [0, 10), got {self.tp}")
        if self.direction not in ("long", "short", "both"):
            raise ValueError(f"direction must be long, short or both, got {self.direction!r}")


def crosses(fast: np.ndarray, slow: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Boolean arrays: fast crossed above / below slow at each bar (NaN never crosses)."""
    up = np.zeros(len(fast), dtype=bool)
    down = np.zeros(len(fast), dtype=bool)
    with np.errstate(invalid="ignore"):
        up[1:] = (fast[:-1] < slow[:-1]) & (fast[1:] > slow[1:])
        down[1:] = (fast[:-1] > slow[:-1]) & (fast[1:] < slow[1:])
    return up, down


class EmaCross:
    """Signal strategy (contracts section 8): per-bar columns from closes only."""

    name: ClassVar[str] = "ema_cross"

    def __init__(self, config: EmaCrossConfig | None = None, **params: Any) -> None:
        self.config = config or EmaCrossConfig(**params)

    @property
    def params(self) -> dict[str, Any]:
        return asdict(self.config)

    def generate(self, frame: pd.DataFrame) -> SignalFrame:
        cfg = self.config
        close = frame["close"].to_numpy(dtype=np.float64)
        n = len(close)
        out = SignalFrame.empty(n)
        if n == 0:
            return out
        up, down = crosses(ema(close, cfg.fast, seed="first"), ema(close, cfg.slow, seed="first"))
        long_ok = cfg.direction in ("long", "both")
        short_ok = cfg.direction in ("short", "both")
        if long_ok:
            out.direction[up] = LONG
            self._levels(out, up, close, LONG)
        if short_ok:
            out.direction[down] = SHORT
            self._levels(out, down, close, SHORT)
        # A cross against the only allowed side closes the position at the next open.
        if not short_ok:
            out.exit[down] = 1
        if not long_ok:
            out.exit[up] = 1
        out.confidence[out.direction != 0] = 100.0
        return out

    def _levels(self, out: SignalFrame, mask: np.ndarray, close: np.ndarray, side: int) -> None:
        cfg = self.config
        c = close[mask]
        if cfg.sl > 0:
            out.stop[mask] = c * (1 - side * cfg.sl)
        if cfg.tp > 0:
            out.tp1[mask] = c * (1 + side * cfg.tp)


def build(**params: Any) -> EmaCross:
    """Registry factory: ``get_strategy("ema_cross", fast=12, slow=26, ...)``."""
    return EmaCross(EmaCrossConfig(**params))
