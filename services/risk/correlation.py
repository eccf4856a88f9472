"""1h-return correlations between a new symbol and the open ones, from market data.

Candles are fetched once per symbol and closed hour and kept in a small cache, so a
burst of /trade commands costs one candle request per symbol per hour.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np

from core.market.timeframes import timeframe_ms
from core.risk.correlation import aligned_correlation
from services.market.base import MarketData

log = logging.getLogger(__name__)

TIMEFRAME = "1h"
CACHE_SIZE = 256


class CorrelationSource:
    def __init__(self, market: MarketData, days: int, min_points: int) -> None:
        self._market = market
        self._bars = days * 24
        self._min_points = min_points
        self._step = timeframe_ms(TIMEFRAME)
        self._cache: OrderedDict[tuple[str, int], tuple[np.ndarray, np.ndarray] | None] = (
            OrderedDict()
        )

    async def _series(self, symbol: str, now_ms: int) -> tuple[np.ndarray, np.ndarray] | None:
        key = (symbol, now_ms // self._step)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        try:
            result = await self._market.ohlcv(symbol, TIMEFRAME, limit=self._bars + 1)
            frame = result.frame
            series = (
                frame["timestamp"].to_numpy(np.int64),
                frame["close"].to_numpy(np.float64),
            )
        except Exception as exc:  # the rule cannot be evaluated without data: say so in logs
            log.warning("correlation: no %s candles for %s: %s", TIMEFRAME, symbol, exc)
            series = None
        self._cache[key] = series
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return series

    async def with_symbol(
        self, symbol: str, others: Iterable[str], now_ms: int
    ) -> dict[str, float | None]:
        """Correlation of `symbol` with each other symbol (None: not enough data)."""
        others = sorted(set(others) - {symbol})
        if not others:
            return {}
        base = await self._series(symbol, now_ms)
        out: dict[str, float | None] = {}
        for other in others:
            series = await self._series(other, now_ms)
            if base is None or series is None:
                out[other] = None
                continue
            out[other] = aligned_correlation(
                base[0], base[1], series[0], series[1], self._step, self._min_points
            )
        return out
