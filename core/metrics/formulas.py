"""Performance formulas on plain float64 arrays.

These are the textbook definitions the whole product reports, kept free of any result
type so that backtests (`compute_metrics`) and paper/live statistics (daily PnL series
per trade mode) compute every number the same way.

Conventions (also in docs/architecture.md, "Metrics"):

* Risk-adjusted ratios use DAILY returns. Per-bar equity is reduced to UTC-day closes
  (the last mark of each calendar day, days without bars carry the previous close so the
  calendar has 365 days a year like the crypto market), and the first day's return is
  measured from the starting capital.
* Annualisation factor ``sqrt(365)``; the risk-free rate is an annual rate converted to a
  daily one by compounding: ``rf_d = (1 + rf) ** (1 / 365) - 1``.
* Undefined values are ``nan``; unbounded ones (a profit factor with no losing trade)
  are ``inf``. `json_safe` turns both into JSON values.
"""

from __future__ import annotations

import math

import numpy as np

DAY_MS = 86_400_000
YEAR_DAYS = 365
YEAR_MS = YEAR_DAYS * DAY_MS


def daily_rf(annual_rate: float) -> float:
    """Daily risk-free rate equivalent, by compounding, to an annual rate."""
    return (1.0 + annual_rate) ** (1.0 / YEAR_DAYS) - 1.0


def daily_closes(timestamps_ms: np.ndarray, equity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equity at each UTC-day close: the last mark of every calendar day.

    Returns ``(day_start_ms, close)`` covering every calendar day from the first to the
    last bar; a day without bars repeats the previous close (a zero return), so that the
    number of daily returns equals the number of calendar days.
    """
    ts = np.asarray(timestamps_ms, dtype=np.int64)
    eq = np.asarray(equity, dtype=np.float64)
    if ts.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    day = ts // DAY_MS
    # index of the last bar of each day present (timestamps are sorted)
    last_of_day = np.flatnonzero(np.diff(day, append=day[-1] + 1))
    present_days = day[last_of_day]
    all_days = np.arange(present_days[0], present_days[-1] + 1, dtype=np.int64)
    pos = np.searchsorted(present_days, all_days, side="right") - 1
    return all_days * DAY_MS, eq[last_of_day][pos]


def simple_returns(values: np.ndarray, start: float | None = None) -> np.ndarray:
    """Period returns ``v_t / v_{t-1} - 1``; with ``start``, the first is ``v_0 / start - 1``."""
    v = np.asarray(values, dtype=np.float64)
    if start is not None:
        v = np.concatenate(([float(start)], v))
    if v.size < 2:
        return np.empty(0, dtype=np.float64)
    prev = v[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(prev != 0.0, v[1:] / prev - 1.0, 0.0)
    return out


def returns_from_pnl(pnl: np.ndarray, initial: float) -> np.ndarray:
    """Period returns of a PnL series (e.g. daily realised PnL of one trade mode).

    ``r_d = pnl_d / E_{d-1}`` with ``E_0 = initial`` and ``E_d = E_{d-1} + pnl_d``, the
    same numbers `daily_returns` gives for the equity curve those PnLs make.
    """
    p = np.asarray(pnl, dtype=np.float64)
    equity = float(initial) + np.cumsum(p)
    return simple_returns(equity, start=initial)


def daily_returns(timestamps_ms: np.ndarray, equity: np.ndarray, initial: float) -> np.ndarray:
    """Daily returns of a per-bar equity curve, the first one measured from ``initial``."""
    _, closes = daily_closes(timestamps_ms, equity)
    return simple_returns(closes, start=initial)


def sharpe_ratio(daily: np.ndarray, risk_free: float = 0.0) -> float:
    """Annualised Sharpe ratio of daily returns.

    ``S = mean(r - rf_d) / std(r - rf_d) * sqrt(365)`` with the sample standard deviation
    (``ddof=1``) and ``rf_d = (1 + risk_free) ** (1/365) - 1``. ``nan`` with fewer than two
    returns or a zero deviation, except a perfectly flat series (all excess returns 0),
    which scores 0.
    """
    r = np.asarray(daily, dtype=np.float64) - daily_rf(risk_free)
    if r.size < 2:
        return math.nan
    mean = float(r.mean())
    sd = float(r.std(ddof=1))
    if sd == 0.0:
        return 0.0 if mean == 0.0 else math.nan
    return mean / sd * math.sqrt(YEAR_DAYS)


def downside_deviation(daily: np.ndarray, risk_free: float = 0.0) -> float:
    """Target downside deviation ``sqrt(sum(min(0, r - rf_d)^2) / N)`` over ALL N days."""
    r = np.asarray(daily, dtype=np.float64) - daily_rf(risk_free)
    if r.size == 0:
        return math.nan
    below = np.minimum(r, 0.0)
    return math.sqrt(float(np.sum(below * below)) / r.size)


def sortino_ratio(daily: np.ndarray, risk_free: float = 0.0) -> float:
    """Annualised Sortino ratio: ``mean(r - rf_d) / DD * sqrt(365)``.

    DD is `downside_deviation` (target = the daily risk-free rate, averaged over all days,
    Sortino & Price 1994). ``nan`` with fewer than two returns; with no day below target
    it is ``inf`` for a positive mean and 0 for a zero mean.
    """
    r = np.asarray(daily, dtype=np.float64)
    if r.size < 2:
        return math.nan
    mean = float(r.mean()) - daily_rf(risk_free)
    dd = downside_deviation(r, risk_free)
    return ratio(mean * math.sqrt(YEAR_DAYS), dd)


def ratio(num: float, den: float) -> float:
    """``num / den`` for a non-negative denominator; ``x / 0`` is ``±inf`` and ``0 / 0`` is 0."""
    if math.isnan(num) or math.isnan(den):
        return math.nan
    if den > 0.0:
        return num / den
    if num == 0.0:
        return 0.0
    return math.inf if num > 0 else -math.inf


def total_return(initial: float, final: float) -> float:
    """``final / initial - 1``."""
    return final / initial - 1.0 if initial else math.nan


def cagr(initial: float, final: float, years: float) -> float:
    """Compound annual growth rate ``(final / initial) ** (1 / years) - 1``.

    ``nan`` for a period of zero length; -100 % when the capital is gone.
    """
    if years <= 0.0 or initial <= 0.0:
        return math.nan
    if final <= 0.0:
        return -1.0
    return (final / initial) ** (1.0 / years) - 1.0


def period_years(timestamps_ms: np.ndarray) -> float:
    """Length of the tested period in 365-day years: first bar open to last bar close.

    The bar length is the median spacing of the timestamps; one bar alone has no known
    length, so the period is 0 (and CAGR undefined).
    """
    ts = np.asarray(timestamps_ms, dtype=np.int64)
    if ts.size < 2:
        return 0.0
    bar_ms = float(np.median(np.diff(ts)))
    return (float(ts[-1] - ts[0]) + bar_ms) / YEAR_MS


def drawdown_series(equity: np.ndarray, initial: float | None = None) -> np.ndarray:
    """Drawdown at each point, ``1 - E_t / max(initial, E_0..E_t)`` (0 at a new high)."""
    eq = np.asarray(equity, dtype=np.float64)
    if eq.size == 0:
        return eq.copy()
    peak = np.maximum.accumulate(eq)
    if initial is not None:
        peak = np.maximum(peak, float(initial))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(peak > 0.0, 1.0 - eq / peak, 0.0)


def max_drawdown(equity: np.ndarray, initial: float | None = None) -> float:
    """Largest peak-to-trough fall as a fraction of the peak (0.25 = -25 %)."""
    dd = drawdown_series(equity, initial)
    return float(dd.max()) if dd.size else 0.0


def max_drawdown_duration(
    timestamps_ms: np.ndarray, equity: np.ndarray, initial: float | None = None
) -> tuple[int, int]:
    """Longest time below a previous high, as ``(bars, milliseconds)``.

    A spell starts at the last bar on the high and ends at the first bar back on it, or
    at the last bar when equity never recovers.
    """
    ts = np.asarray(timestamps_ms, dtype=np.int64)
    dd = drawdown_series(equity, initial)
    if dd.size == 0:
        return 0, 0
    under = dd > 0.0
    best_bars, best_ms = 0, 0
    i, n = 0, under.size
    while i < n:
        if not under[i]:
            i += 1
            continue
        j = i
        while j < n and under[j]:
            j += 1
        start = i - 1 if i > 0 else 0  # the bar on the high before the fall
        end = j if j < n else n - 1  # recovery bar, or the last bar
        bars = end - start
        if bars > best_bars:
            best_bars, best_ms = bars, int(ts[end] - ts[start])
        i = j
    return best_bars, best_ms


def calmar_ratio(cagr_value: float, max_dd: float) -> float:
    """``CAGR / max drawdown`` (both fractions)."""
    return ratio(cagr_value, max_dd)


def profit_factor(pnl: np.ndarray) -> float:
    """Gross profit / gross loss; ``inf`` with no losing trade; ``nan`` (undefined) with
    no trades or when every trade broke even (0 / 0 says nothing about the edge)."""
    p = np.asarray(pnl, dtype=np.float64)
    if p.size == 0:
        return math.nan
    gross_win = float(p[p > 0].sum())
    gross_loss = float(-p[p < 0].sum())
    if gross_win == 0.0 and gross_loss == 0.0:
        return math.nan
    return ratio(gross_win, gross_loss)


def win_rate(pnl: np.ndarray) -> float:
    """Share of trades with a strictly positive net PnL; ``nan`` with no trades."""
    p = np.asarray(pnl, dtype=np.float64)
    return float((p > 0).mean()) if p.size else math.nan


def expectancy(pnl: np.ndarray) -> float:
    """Average net PnL per trade, ``W * avg_win - (1 - W) * avg_loss`` = ``mean(pnl)``."""
    p = np.asarray(pnl, dtype=np.float64)
    return float(p.mean()) if p.size else math.nan


# Keys that always carry an ``<key>_infinite`` flag in JSON, so the schema is stable.
ALWAYS_FLAGGED = ("profit_factor",)


def json_safe(value: object) -> object:
    """A strict-JSON copy (numpy -> Python): ``nan`` (undefined) -> null, and ``±inf``
    -> null plus a sibling flag: ``"<key>_infinite": true`` for +inf,
    ``"<key>_negative_infinite": true`` for -inf. A value is a number or null, never a
    string; ``profit_factor`` always has its ``profit_factor_infinite`` flag (true when
    there was no losing trade). An infinity inside a list becomes null."""
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for k, v in value.items():
            key = str(k)
            item = v.item() if isinstance(v, np.generic) else v
            if isinstance(item, float) and math.isinf(item):
                out[key] = None
                out[f"{key}_infinite" if item > 0 else f"{key}_negative_infinite"] = True
                continue
            out[key] = json_safe(item)
            if key in ALWAYS_FLAGGED and f"{key}_infinite" not in value:
                out.setdefault(f"{key}_infinite", False)
        return out
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def from_json(value: object, flags: object = None, key: str = "") -> float:
    """The float a `json_safe` value stood for: reads the ``<key>_infinite`` flags of
    `flags` (the containing dict); also accepts the older "inf"/"-inf" strings."""
    if isinstance(flags, dict):
        if flags.get(f"{key}_infinite") is True:
            return math.inf
        if flags.get(f"{key}_negative_infinite") is True:
            return -math.inf
    if value in ("inf", "-inf"):
        return float(value)  # type: ignore[arg-type]
    return math.nan if value is None else float(value)  # type: ignore[arg-type]


def format_ratio(value: float, digits: int = 2) -> str:
    """Text for a ratio in cards and tables: ``∞`` for unbounded, ``—`` for undefined."""
    if value is None or math.isnan(value):
        return "—"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return f"{value:.{digits}f}"
