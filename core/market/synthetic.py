"""Deterministic synthetic market for demos and offline use.

Prices are a pure function of (seed, symbol, time), so every provider call, every
timeframe and every process agrees: 1-minute bars are generated per UTC day as a
Brownian bridge between daily anchor prices, and higher timeframes are resampled
from them. Daily anchors follow overlapping slow cycles, so trending stretches,
sideways ranges and volatile weeks (a per-week volatility multiplier) all occur.
Volume follows an intraday U-shape, rises with volatility and with the size of each
move, and is lognormally noisy, like real exchange volume.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from core.market.frame import concat_frames, frame_from_arrays, slice_frame
from core.market.timeframes import resample, timeframe_ms

BASE_TIMEFRAME = "1m"
BASE_MS = 60_000
DAY_MS = 86_400_000
BARS_PER_DAY = DAY_MS // BASE_MS
_CYCLE_DAYS = (23.0, 61.0, 173.0, 419.0)
_CYCLE_AMPS = (0.06, 0.14, 0.28, 0.45)


@dataclass(frozen=True, slots=True)
class SimAsset:
    base: str
    price: float  # centre of the long-run price range, in USDT
    daily_vol: float  # typical daily log-return standard deviation
    quote_volume_24h: float  # typical 24h quote volume, USDT
    spread_pct: float  # typical bid/ask spread, percent of mid


# A fixed list of majors: the sim offers exactly these, quoted in USDT.
SIM_ASSETS: tuple[SimAsset, ...] = (
    SimAsset("BTC", 65_000.0, 0.028, 1.8e9, 0.01),
    SimAsset("ETH", 3_200.0, 0.035, 9.0e8, 0.01),
    SimAsset("SOL", 150.0, 0.050, 4.0e8, 0.02),
    SimAsset("BNB", 580.0, 0.030, 2.0e8, 0.02),
    SimAsset("XRP", 0.55, 0.045, 2.5e8, 0.02),
    SimAsset("DOGE", 0.15, 0.060, 2.0e8, 0.03),
    SimAsset("ADA", 0.45, 0.050, 1.0e8, 0.03),
    SimAsset("AVAX", 35.0, 0.055, 8.0e7, 0.04),
    SimAsset("LINK", 15.0, 0.050, 7.0e7, 0.04),
    SimAsset("TRX", 0.12, 0.030, 6.0e7, 0.04),
    SimAsset("LTC", 80.0, 0.040, 6.0e7, 0.05),
    SimAsset("DOT", 7.0, 0.050, 5.0e7, 0.05),
    SimAsset("NEAR", 6.0, 0.060, 4.5e7, 0.06),
    SimAsset("TON", 6.0, 0.050, 3.5e7, 0.08),
    SimAsset("ATOM", 9.0, 0.050, 3.0e7, 0.08),
)
SIM_QUOTE = "USDT"
SIM_SYMBOLS: dict[str, SimAsset] = {f"{a.base}/{SIM_QUOTE}": a for a in SIM_ASSETS}


def _symbol_key(symbol: str) -> int:
    return zlib.crc32(symbol.encode())


def _rng(seed: int, symbol: str, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed & 0xFFFFFFFF, _symbol_key(symbol), *stream])


@lru_cache(maxsize=256)
def _phases(seed: int, symbol: str) -> np.ndarray:
    return _rng(seed, symbol, 0xC1C1E).uniform(0, 2 * np.pi, len(_CYCLE_DAYS))


def anchor_log_price(seed: int, symbol: str, day: np.ndarray | int) -> np.ndarray:
    """Log price at 00:00 UTC of `day` (days since the epoch)."""
    asset = SIM_SYMBOLS[symbol]
    d = np.asarray(day, dtype=np.float64)
    phases = _phases(seed, symbol)
    wave = sum(
        a * np.sin(2 * np.pi * d / t + p)
        for a, t, p in zip(_CYCLE_AMPS, _CYCLE_DAYS, phases, strict=True)
    )
    return np.log(asset.price) + wave


def vol_multiplier(seed: int, symbol: str, day: int) -> float:
    """Per-week volatility multiplier: mostly calm, sometimes a volatile week."""
    week = day // 7
    u = _rng(seed, symbol, 0x7EE4, week).random()
    return 2.4 if u > 0.85 else (0.6 if u < 0.35 else 1.0)


def regime(seed: int, symbol: str, ts_ms: int) -> str:
    """`volatile`, `trending` or `ranging` at `ts_ms`, from the generator's own inputs."""
    day = ts_ms // DAY_MS
    if vol_multiplier(seed, symbol, day) > 2.0:
        return "volatile"
    slope = abs(
        float(anchor_log_price(seed, symbol, day + 3) - anchor_log_price(seed, symbol, day - 4))
    )
    return "trending" if slope > 1.5 * SIM_SYMBOLS[symbol].daily_vol * np.sqrt(7) else "ranging"


@lru_cache(maxsize=512)
def _day_bars(seed: int, symbol: str, day: int) -> pd.DataFrame:
    asset = SIM_SYMBOLS[symbol]
    rng = _rng(seed, symbol, 0xDA7, day)
    start_log, end_log = anchor_log_price(seed, symbol, np.array([day, day + 1]))
    vm = vol_multiplier(seed, symbol, day)
    sigma_bar = asset.daily_vol * vm / np.sqrt(BARS_PER_DAY)
    steps = rng.standard_normal(BARS_PER_DAY) * sigma_bar
    walk = np.cumsum(steps)
    frac = np.arange(1, BARS_PER_DAY + 1) / BARS_PER_DAY
    # Brownian bridge: pinned to the anchors at both ends of the day.
    close_log = start_log + walk - frac * walk[-1] + frac * (end_log - start_log)
    open_log = np.r_[start_log, close_log[:-1]]
    wick = np.abs(rng.standard_normal((2, BARS_PER_DAY))) * sigma_bar * 0.6
    high = np.exp(np.maximum(open_log, close_log) + wick[0])
    low = np.exp(np.minimum(open_log, close_log) - wick[1])
    close = np.exp(close_log)
    hours = (np.arange(BARS_PER_DAY) * BASE_MS / 3_600_000.0) % 24
    intraday = 1.0 + 0.5 * np.cos(2 * np.pi * (hours - 15.0) / 24.0)  # busiest ~15:00 UTC
    move = np.abs(close_log - open_log) / max(sigma_bar, 1e-12)
    noise = rng.lognormal(mean=-0.08, sigma=0.4, size=BARS_PER_DAY)
    quote = asset.quote_volume_24h / BARS_PER_DAY * intraday * noise * (0.6 + 0.4 * move) * vm**0.5
    ts = day * DAY_MS + np.arange(BARS_PER_DAY, dtype=np.int64) * BASE_MS
    return frame_from_arrays(ts, np.exp(open_log), high, low, close, quote / close)


def sim_base_frame(seed: int, symbol: str, start_ms: int, end_ms: int) -> pd.DataFrame:
    """1-minute bars with open time in [start_ms, end_ms]."""
    if symbol not in SIM_SYMBOLS:
        raise KeyError(symbol)
    first_day, last_day = start_ms // DAY_MS, end_ms // DAY_MS
    days = [_day_bars(seed, symbol, d) for d in range(int(first_day), int(last_day) + 1)]
    return slice_frame(concat_frames(days), since=start_ms, until=end_ms)


def sim_frame(seed: int, symbol: str, timeframe: str, start_ms: int, end_ms: int) -> pd.DataFrame:
    """Candles of `timeframe` (any multiple of 1m) with open time in [start_ms, end_ms]."""
    step = timeframe_ms(timeframe)
    if step % BASE_MS:
        raise ValueError(f"sim timeframes are multiples of {BASE_TIMEFRAME}: {timeframe}")
    base = sim_base_frame(seed, symbol, start_ms, end_ms + step - BASE_MS)
    if step == BASE_MS:
        return base
    return slice_frame(
        resample(base, timeframe, source=BASE_TIMEFRAME), since=start_ms, until=end_ms
    )
