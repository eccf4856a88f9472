"""Stop and take-profit levels for a /trade that did not give them.

Order of preference: what the user typed; else the current signal for the symbol
(when it points the same way); else ATR defaults: the stop `paper_atr_stop_mult` ATRs
from the entry and targets at 1, 2 and 3 times that distance (1R, 2R, 3R). Missing
pieces are filled independently: `sl` alone keeps the user's stop and gets default
targets, and vice versa.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.accounting import direction, round_price, to_decimal
from core.indicators import atr as atr_indicator
from services.market.base import MarketData, MarketDataError

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class SignalLevels:
    """What paper trading needs from a signal (SIGNALS provides it)."""

    signal_id: int | None
    symbol: str
    side: str  # long | short
    stop: Decimal | None
    targets: tuple[Decimal, ...]
    timeframe: str | None = None


SignalLevelsLookup = Callable[[str], Awaitable[SignalLevels | None]]


@dataclass(frozen=True, slots=True)
class Levels:
    stop: Decimal | None
    targets: tuple[Decimal, ...]
    source: str  # user | signal | atr | none
    atr: Decimal  # ATR on the level timeframe at entry (0 when unknown)


def coerce_signal_levels(obj: Any) -> SignalLevels | None:
    """Read a signal-like object (a SignalLevels, or a DTO with direction/stop/tp1..3)."""
    if obj is None:
        return None
    if isinstance(obj, SignalLevels):
        return obj
    side = getattr(obj, "side", None) or getattr(obj, "direction", None)
    if side in (1, "1"):
        side = "long"
    elif side in (-1, "-1"):
        side = "short"
    if side not in ("long", "short"):
        return None

    def dec(value: Any) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, float) and not math.isfinite(value):
            return None
        d = to_decimal(value)
        return d if d > 0 else None

    targets = tuple(
        t for t in (dec(getattr(obj, f"tp{i}", None)) for i in (1, 2, 3)) if t is not None
    )
    return SignalLevels(
        signal_id=getattr(obj, "id", None) or getattr(obj, "signal_id", None),
        symbol=str(getattr(obj, "symbol", "")),
        side=side,
        stop=dec(getattr(obj, "stop", None)),
        targets=targets,
        timeframe=getattr(obj, "timeframe", None),
    )


class LevelResolver:
    def __init__(
        self,
        market: MarketData,
        *,
        timeframe: str,
        period: int,
        stop_mult: Decimal,
        signal_levels: SignalLevelsLookup | None = None,
    ) -> None:
        self._market = market
        self._timeframe = timeframe
        self._period = period
        self._stop_mult = stop_mult
        self.signal_levels = signal_levels

    async def current_atr(self, symbol: str) -> Decimal:
        """ATR of the last closed candles on the level timeframe; 0 when unavailable."""
        try:
            result = await self._market.ohlcv(symbol, self._timeframe, limit=self._period * 4)
        except MarketDataError:
            return ZERO
        frame = result.frame
        if len(frame) <= self._period:
            return ZERO
        values = atr_indicator(
            frame["high"].to_numpy(), frame["low"].to_numpy(), frame["close"].to_numpy(),
            self._period,
        )  # fmt: skip
        last = float(values[-1])
        return to_decimal(last) if math.isfinite(last) and last > 0 else ZERO

    async def resolve(
        self,
        symbol: str,
        side: str,
        entry: Decimal,
        stop: Decimal | None,
        targets: tuple[Decimal, ...],
        tick: Decimal | None,
    ) -> Levels:
        if stop is not None and targets:
            return Levels(stop, targets, "user", ZERO)
        atr = await self.current_atr(symbol)
        if self.signal_levels is not None:
            sig = await self.signal_levels(symbol)
            if sig is not None and sig.side == side and (sig.stop or sig.targets):
                return Levels(stop or sig.stop, targets or sig.targets, "signal", atr)
        if atr <= 0:
            source = "user" if stop is not None or targets else "none"
            return Levels(stop, targets, source, atr)
        sign = direction(side)  # type: ignore[arg-type]
        distance = atr * self._stop_mult
        default_stop = round_price(entry - sign * distance, tick)
        default_targets = tuple(round_price(entry + sign * distance * k, tick) for k in (1, 2, 3))
        if default_stop <= 0:
            default_stop = None  # type: ignore[assignment]
        return Levels(stop or default_stop, targets or default_targets, "atr", atr)
