"""Stop and take-profit levels for a /trade that did not give them.

Order of preference: what the user typed; else the current signal for the symbol
(when it points the same way); else ATR defaults: the stop `paper_atr_stop_mult` ATRs
from the entry and targets at 1, 2 and 3 times that distance (1R, 2R, 3R). A typed
stop alone gets targets at 1R/2R/3R of the user's own stop distance (a signal's or
the ATR's targets belong to another stop); typed targets alone get the signal's stop,
else the ATR stop. `Levels.source` says which: user, user_stop, user_targets_signal,
user_targets_atr, signal, atr or none.
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
    source: str  # user | user_stop | user_targets_signal | user_targets_atr | signal | atr | none
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
        sign = direction(side)  # type: ignore[arg-type]
        if stop is not None:
            return Levels(stop, r_targets(entry, stop, sign, tick), "user_stop", atr)
        if self.signal_levels is not None:
            sig = await self.signal_levels(symbol)
            if sig is not None and sig.side == side and (sig.stop or sig.targets):
                if targets:
                    if sig.stop is not None:
                        return Levels(sig.stop, targets, "user_targets_signal", atr)
                else:
                    return Levels(sig.stop, sig.targets, "signal", atr)
        if atr <= 0:
            return Levels(None, targets, "user" if targets else "none", atr)
        distance = atr * self._stop_mult
        default_stop: Decimal | None = round_price(entry - sign * distance, tick)
        if default_stop is not None and default_stop <= 0:
            default_stop = None
        if targets:
            return Levels(default_stop, targets, "user_targets_atr", atr)
        default_targets = tuple(round_price(entry + sign * distance * k, tick) for k in (1, 2, 3))
        return Levels(default_stop, default_targets, "atr", atr)


def r_targets(
    entry: Decimal, stop: Decimal, sign: int, tick: Decimal | None
) -> tuple[Decimal, ...]:
    """Targets 1R, 2R, 3R from the entry, R being the distance to `stop`, keeping only
    positive prices (a short's stop far above the entry puts 2R below zero). A stop on
    the wrong side gives none (the order checks then refuse the stop itself)."""
    risk = (entry - stop) * sign
    if risk <= 0:
        return ()
    targets = (round_price(entry + sign * risk * k, tick) for k in (1, 2, 3))
    return tuple(t for t in targets if t > 0)
