"""Shared data and the catalogue of indicators the tests walk through.

Every case names our call, its TA-Lib counterpart (None where TA-Lib has none), the
warm-up TA-Lib documents for it (leading NaNs per output) and the scale used for the
tolerance: agreement means |ours - ref| <= 1e-9 x max(|ref|, scale), i.e. 1e-9
relative, with the series' own level as the floor for values crossing zero (MACD).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import talib

from core import indicators as ind

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ohlcv"
RTOL = 1e-9

Outputs = tuple[np.ndarray, ...]


def load(name: str, start: int, rows: int) -> pd.DataFrame:
    """A slice of a shared candle file (rows start..start+rows), RangeIndex."""
    return pd.read_csv(DATA / name, skiprows=range(1, start + 1), nrows=rows)


def columns(frame: pd.DataFrame) -> tuple[np.ndarray, ...]:
    return tuple(frame[k].to_numpy(dtype=np.float64) for k in ("high", "low", "close", "volume"))


def random_walk(
    n: int, seed: int, start: float = 100.0, sigma: float = 0.01, tick: float | None = None
) -> pd.DataFrame:
    """Synthetic candles: geometric random walk closes, wicks around open/close."""
    rng = np.random.default_rng(seed)
    close = start * np.exp(np.cumsum(rng.normal(0.0, sigma, n)))
    if tick is not None:
        close = np.maximum(np.round(close / tick) * tick, tick)
    open_ = np.concatenate(([close[0]], close[:-1]))
    wick = np.abs(rng.normal(0.0, sigma / 2, (2, n)))
    return pd.DataFrame(
        {
            "timestamp": 1_700_000_000_000 + np.arange(n, dtype=np.int64) * 3_600_000,
            "open": open_,
            "high": np.maximum(open_, close) * (1.0 + wick[0]),
            "low": np.minimum(open_, close) * (1.0 - wick[1]),
            "close": close,
            "volume": rng.lognormal(2.0, 1.0, n),
        }
    )


def _one(x: np.ndarray) -> Outputs:
    return (x,)


def _stoch_talib(c: np.ndarray) -> Outputs:
    r = talib.RSI(c, 14)
    return talib.STOCH(r, r, r, 14, 3, 0, 3, 0)


@dataclass(frozen=True)
class Case:
    name: str
    ours: Callable[[pd.DataFrame], Outputs]
    talib: Callable[[pd.DataFrame], Outputs] | None
    warmup: tuple[int, ...]
    scale: str = "price"  # price | oscillator | volume
    uses: frozenset[str] = frozenset({"close"})  # frame columns read


def _c(f: pd.DataFrame) -> np.ndarray:
    return f["close"].to_numpy(dtype=np.float64)


def _hlc(f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    h, lo, c, _ = columns(f)
    return h, lo, c


HLC = frozenset({"high", "low", "close"})
HLCV = HLC | {"volume"}

CASES: list[Case] = [
    *(
        Case(
            f"ema_{p}",
            lambda f, p=p: _one(ind.ema(_c(f), p)),
            lambda f, p=p: _one(talib.EMA(_c(f), p)),
            (p - 1,),
        )
        for p in (9, 21, 50, 89, 200)
    ),
    Case("sma_20", lambda f: _one(ind.sma(_c(f), 20)), lambda f: _one(talib.SMA(_c(f), 20)), (19,)),
    Case(
        "rsi_14",
        lambda f: _one(ind.rsi(_c(f), 14)),
        lambda f: _one(talib.RSI(_c(f), 14)),
        (14,),
        "oscillator",
    ),
    Case(
        "macd_12_26_9",
        lambda f: ind.macd(_c(f), 12, 26, 9),
        lambda f: talib.MACD(_c(f), 12, 26, 9),
        (33, 33, 33),
    ),
    Case(
        "bollinger_20_2",
        lambda f: ind.bollinger(_c(f), 20, 2.0),
        lambda f: talib.BBANDS(_c(f), 20, 2.0, 2.0, 0),
        (19, 19, 19),
    ),
    Case(
        "atr_14",
        lambda f: _one(ind.atr(*_hlc(f), 14)),
        lambda f: _one(talib.ATR(*_hlc(f), 14)),
        (14,),
        uses=HLC,
    ),
    Case(
        "adx_14",
        lambda f: ind.adx(*_hlc(f), 14),
        lambda f: (
            talib.ADX(*_hlc(f), 14),
            talib.PLUS_DI(*_hlc(f), 14),
            talib.MINUS_DI(*_hlc(f), 14),
        ),
        (27, 14, 14),
        "oscillator",
        HLC,
    ),
    Case(
        "obv",
        lambda f: _one(ind.obv(_c(f), f["volume"])),
        lambda f: _one(talib.OBV(_c(f), f["volume"].to_numpy(dtype=np.float64))),
        (0,),
        "volume",
        frozenset({"close", "volume"}),
    ),
    Case(
        "stoch_rsi_14_14_3_3",
        lambda f: ind.stoch_rsi(_c(f), 14, 14, 3, 3),
        lambda f: _stoch_talib(_c(f)),
        (31, 31),
        "oscillator",
    ),
    Case(
        "stoch_rsi_14_14_1_3",
        lambda f: ind.stoch_rsi(_c(f), 14, 14, 1, 3),
        lambda f: talib.STOCHRSI(_c(f), 14, 14, 3, 0),
        (29, 29),
        "oscillator",
    ),
    Case(
        "volume_sma_20",
        lambda f: _one(ind.volume_sma(f["volume"], 20)),
        lambda f: _one(talib.SMA(f["volume"].to_numpy(dtype=np.float64), 20)),
        (19,),
        "volume",
        frozenset({"volume"}),
    ),
    Case(
        "vwap_rolling_20",
        lambda f: _one(ind.vwap_rolling(f["high"], f["low"], f["close"], f["volume"], 20)),
        None,
        (19,),
        uses=HLCV,
    ),
    Case(
        "vwap_session",
        lambda f: _one(
            ind.vwap_session(f["timestamp"], f["high"], f["low"], f["close"], f["volume"])
        ),
        None,
        (0,),
        uses=HLCV,
    ),
    Case(
        "percentile_rank_50",
        lambda f: _one(ind.percentile_rank(_c(f), 50)),
        None,
        (49,),
        "oscillator",
    ),
    Case(
        "swing_points_3_2",
        lambda f: ind.swing_points(f["high"], f["low"], 3, 2),
        None,
        (5, 5),
        uses=frozenset({"high", "low"}),
    ),
]

TALIB_CASES = [c for c in CASES if c.talib is not None]


def scale_of(case: Case, frame: pd.DataFrame) -> float:
    if case.scale == "oscillator":
        return 1.0
    if case.scale == "volume":
        return float(np.mean(np.abs(frame["volume"])))
    return float(np.median(np.abs(frame["close"])))


def assert_agrees(ours: np.ndarray, ref: np.ndarray, scale: float, label: str = "") -> None:
    """Same length, NaN exactly where the reference is NaN, values within RTOL."""
    assert ours.shape == ref.shape, label
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(ref), err_msg=f"{label}: NaN pattern")
    ok = ~np.isnan(ref)
    err = np.abs(ours[ok] - ref[ok])
    bound = RTOL * np.maximum(np.abs(ref[ok]), scale)
    worst = int(np.argmax(err - bound)) if err.size else 0
    assert np.all(err <= bound), f"{label}: worst |diff| {err[worst]:.3e} > {bound[worst]:.3e}"
