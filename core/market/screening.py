"""Ranking coins for `/top`: trend strength, volume and volatility, explained.

Trend strength is Kaufman's efficiency ratio over the lookback (|net move| / path
length, 0 = chop, 1 = a straight line) with the sign of the move; volatility is
the daily standard deviation of log returns. Each measure is turned into a
percentile rank across the universe and blended, so one outlier cannot swamp the
ranking and the weights mean what they say.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WEIGHTS = {"trend": 0.5, "volume": 0.3, "volatility": 0.2}
RANGE_EFFICIENCY = 0.2  # below this the move is noise: "ranging"


@dataclass(frozen=True, slots=True)
class CoinStats:
    symbol: str
    change_pct: float  # net move over the lookback, percent
    efficiency: float  # 0..1
    volatility_pct: float  # daily, percent
    quote_volume_24h: float

    @property
    def direction(self) -> str:
        if self.efficiency < RANGE_EFFICIENCY:
            return "range"
        return "up" if self.change_pct > 0 else "down"


@dataclass(frozen=True, slots=True)
class Ranked:
    stats: CoinStats
    score: float  # 0..100


def coin_stats(
    symbol: str, close: np.ndarray, bars_per_day: float, quote_volume_24h: float, lookback: int
) -> CoinStats | None:
    """Stats over the last `lookback` bars of closes; None when there are too few."""
    close = np.asarray(close, dtype=np.float64)
    close = close[np.isfinite(close) & (close > 0)]
    if len(close) < max(3, lookback // 2):
        return None
    window = close[-(lookback + 1) :]
    moves = np.abs(np.diff(window)).sum()
    net = window[-1] - window[0]
    efficiency = float(abs(net) / moves) if moves > 0 else 0.0
    log_ret = np.diff(np.log(window))
    vol = float(np.std(log_ret, ddof=1) * np.sqrt(bars_per_day) * 100) if len(log_ret) > 1 else 0.0
    return CoinStats(
        symbol=symbol,
        change_pct=float(net / window[0] * 100),
        efficiency=efficiency,
        volatility_pct=vol,
        quote_volume_24h=float(quote_volume_24h),
    )


def _pct_rank(values: np.ndarray) -> np.ndarray:
    """Percentile rank in [0, 1]; ties share their average rank."""
    n = len(values)
    if n == 1:
        return np.ones(1)
    order = values.argsort(kind="stable")
    ranks = np.empty(n)
    ranks[order] = np.arange(n, dtype=np.float64)
    for v in np.unique(values):
        same = values == v
        ranks[same] = ranks[same].mean()
    return ranks / (n - 1)


def rank(stats: list[CoinStats]) -> list[Ranked]:
    """Best first; the score blends percentile ranks with `WEIGHTS`."""
    if not stats:
        return []
    trend = np.array([s.efficiency for s in stats])
    volume = np.log1p(np.array([max(s.quote_volume_24h, 0.0) for s in stats]))
    volatility = np.array([s.volatility_pct for s in stats])
    score = (
        WEIGHTS["trend"] * _pct_rank(trend)
        + WEIGHTS["volume"] * _pct_rank(volume)
        + WEIGHTS["volatility"] * _pct_rank(volatility)
    ) * 100
    ranked = [Ranked(s, float(v)) for s, v in zip(stats, score, strict=True)]
    ranked.sort(key=lambda r: (-r.score, r.stats.symbol))
    return ranked
