"""Technical indicators: pure float64 numpy in, same-length float64 numpy out.

Conventions shared by every function (details in docs/architecture.md, "Indicators"):
- warm-up bars are NaN, never 0; lengths always equal the input's;
- values agree with TA-Lib after warm-up, except for the documented deliberate
  differences (flat-window RSI / Stochastic RSI give 50; NaN handling below);
- a bar with a NaN input is treated as absent: NaN out, and the indicator runs over
  the other bars as if it did not exist (see `_arrays`);
- the value at bar t depends only on bars <= t (swing points appear at confirmation).
"""

from core.indicators._bar_kernels import warm
from core.indicators.averages import bollinger, ema, macd, sma, volume_sma
from core.indicators.directional import adx, atr
from core.indicators.frame import COLUMNS, EMA_PERIODS, compute_all
from core.indicators.oscillators import rsi, stoch_rsi
from core.indicators.structure import percentile_rank, swing_points
from core.indicators.volume import obv, vwap_rolling, vwap_session

__all__ = [
    "COLUMNS",
    "EMA_PERIODS",
    "adx",
    "atr",
    "bollinger",
    "compute_all",
    "ema",
    "macd",
    "obv",
    "percentile_rank",
    "rsi",
    "sma",
    "stoch_rsi",
    "swing_points",
    "volume_sma",
    "vwap_rolling",
    "vwap_session",
    "warm",
]
