"""Stress tests: the most volatile stretches of the data, and synthetic bad days.

* `volatile_windows` finds the ``top`` non-overlapping windows with the highest
  volatility of log close returns; `stress_windows` runs the strategy on each.
* `run_scenario` rewrites the candles for a scenario and replays the strategy:
  a flash crash (−15 % in 10 minutes, spread ×3, volume −50 %) or a liquidity crisis
  (volume −70 %, spread ×4, depth −90 %). The strategy's orders inside the scenario
  window (plus a reference order of its median size) go through the order-book model of
  `core.robustness.liquidity`, which gives the fill ratio and slippage, and the
  `CircuitBreakers` say which breakers would have fired.

Crash shape: the fall is spread evenly over the bars its minutes cover (one bar from
10-minute bars up); each crash bar's prices are scaled by the fall reached at its open
and close, and every later bar by the whole fall (no recovery). Volume is multiplied
for the scenario's duration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.metrics import json_safe, max_drawdown
from core.robustness.evaluate import RunSpec, Window, run_window
from core.robustness.liquidity import CircuitBreakers, Execution, LiquidityModel, execute

MINUTE_MS = 60_000


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    name: str
    drop: float = 0.0  # price fall, fraction
    minutes: float = 10.0  # the fall takes this long
    spread_mult: float = 1.0
    volume_mult: float = 1.0
    depth_mult: float = 1.0
    duration_min: float = 60.0  # how long spread/volume/depth stay stressed


FLASH_CRASH = Scenario(
    name="flash_crash", drop=0.15, minutes=10, spread_mult=3.0, volume_mult=0.5, duration_min=60
)
LIQUIDITY_CRISIS = Scenario(
    name="liquidity_crisis",
    spread_mult=4.0,
    volume_mult=0.3,
    depth_mult=0.1,
    duration_min=24 * 60,
)
SCENARIOS = {s.name: s for s in (FLASH_CRASH, LIQUIDITY_CRISIS)}


def bar_minutes(frame: pd.DataFrame) -> float:
    ts = frame["timestamp"].to_numpy(dtype=np.int64)
    return float(np.median(np.diff(ts))) / MINUTE_MS if ts.size > 1 else 60.0


def apply_scenario(
    frame: pd.DataFrame, scenario: Scenario, at_bar: int
) -> tuple[pd.DataFrame, int]:
    """The stressed copy of ``frame`` and the number of bars the scenario lasts."""
    out = frame.copy()
    n = len(out)
    tf = bar_minutes(frame)
    span = min(n - at_bar, max(1, math.ceil(scenario.duration_min / tf)))
    if scenario.drop > 0:
        m = max(1, math.ceil(scenario.minutes / tf))
        g = 1.0 - scenario.drop * np.arange(1, m + 1) / m  # fall reached at each close
        before = np.concatenate(([1.0], g[:-1]))  # ... at open
        cols = {
            c: out[c].to_numpy(dtype=np.float64).copy() for c in ("open", "high", "low", "close")
        }
        for j in range(min(m, n - at_bar)):
            t = at_bar + j
            o, c = cols["open"][t] * before[j], cols["close"][t] * g[j]
            cols["high"][t] = max(o, c, cols["high"][t] * before[j])
            cols["low"][t] = min(o, c, cols["low"][t] * g[j])
            cols["open"][t], cols["close"][t] = o, c
        rest = at_bar + m
        for c in cols:
            cols[c][rest:] *= g[-1]
            out[c] = cols[c]
    vol = out["volume"].to_numpy(dtype=np.float64).copy()
    vol[at_bar : at_bar + span] *= scenario.volume_mult
    out["volume"] = vol
    return out, span


def volatile_windows(frame: pd.DataFrame, window_bars: int, top: int = 3) -> pd.DataFrame:
    """The ``top`` non-overlapping windows with the highest std of log close returns."""
    close = frame["close"].to_numpy(dtype=np.float64)
    if close.size <= window_bars:
        raise ValueError("the data is shorter than one window")
    r = np.diff(np.log(close))
    vol = pd.Series(r).rolling(window_bars - 1).std(ddof=1).to_numpy()  # window ending at i+1
    order = np.argsort(-np.nan_to_num(vol, nan=-1.0), kind="stable")
    taken: list[tuple[int, int]] = []
    per_year = 365 * 24 * 60 / bar_minutes(frame)
    rows = []
    for i in order:
        if len(taken) == top or np.isnan(vol[i]):
            break
        end = int(i) + 2  # bars [end - window_bars, end)
        start = end - window_bars
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        seg = close[start:end]
        rows.append(
            {
                "start_bar": start,
                "end_bar": end,
                "start": int(frame["timestamp"].iat[start]),
                "end": int(frame["timestamp"].iat[end - 1]),
                "volatility": float(vol[i]) * math.sqrt(per_year),
                "return": float(seg[-1] / seg[0] - 1),
                "max_drawdown": max_drawdown(seg),
            }
        )
    return pd.DataFrame(rows)


def stress_windows(
    frame: pd.DataFrame,
    spec: RunSpec,
    params: dict[str, Any],
    window_bars: int,
    top: int = 3,
    warmup_bars: int = 300,
) -> pd.DataFrame:
    """`volatile_windows` plus the strategy's return, drawdown and trades in each."""
    table = volatile_windows(frame, window_bars, top)
    out = []
    for row in table.to_dict(orient="records"):
        w = Window(row["start_bar"], row["end_bar"], max(0, row["start_bar"] - warmup_bars))
        res = run_window(frame, spec, params, w)
        t = res.trades
        row.update(
            strategy_return=float(res.equity[-1] / res.initial_cash - 1),
            strategy_max_drawdown=max_drawdown(res.equity, res.initial_cash),
            strategy_trades=int(t["exit_time"].notna().sum()) if len(t) else 0,
        )
        out.append(row)
    return pd.DataFrame(out)


@dataclass(frozen=True, slots=True)
class ScenarioReport:
    scenario: str
    at_time: int
    bars: int
    price_change: float  # close at the end of the scenario vs close before it
    orders: int
    fill_ratio: float  # notional-weighted, strategy orders in the window (NaN if none)
    slippage: float  # average, fraction of the mid (NaN if none)
    slippage_normal: float  # the same orders in normal conditions
    slippage_cost: float  # quote
    unfilled: float  # quote
    reference: dict[str, float]  # a median-sized order at the scenario start
    breakers: dict[str, bool]
    fired: list[str]
    drawdown: float  # strategy equity, inside the scenario
    baseline_return: float
    stressed_return: float
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return json_safe({k: getattr(self, k) for k in self.__dataclass_fields__})  # type: ignore[return-value]


def _orders(trades: pd.DataFrame, lo: int, hi: int) -> list[tuple[int, float]]:
    """(bar, notional) of the entry and exit fills inside bars [lo, hi)."""
    if trades is None or len(trades) == 0:
        return []
    out = []
    entries = trades.drop_duplicates("position_id") if "position_id" in trades else trades
    for r in entries.itertuples():
        if lo <= int(r.entry_bar) < hi:
            out.append((int(r.entry_bar), float(r.entry_price) * float(r.qty)))
    for r in trades.itertuples():
        if not pd.isna(r.exit_bar) and lo <= int(r.exit_bar) < hi and not pd.isna(r.exit_price):
            out.append((int(r.exit_bar), float(r.exit_price) * float(r.qty)))
    return out


def _default_bar(result: Any, n: int) -> int:
    t = result.trades
    if t is None or len(t) == 0:
        return n // 2
    notional = t["entry_price"].to_numpy(dtype=np.float64) * t["qty"].to_numpy(dtype=np.float64)
    return min(n - 1, int(t["entry_bar"].iat[int(np.argmax(notional))]) + 1)


def run_scenario(
    frame: pd.DataFrame,
    spec: RunSpec,
    params: dict[str, Any],
    scenario: Scenario,
    *,
    at_bar: int | None = None,
    liquidity: LiquidityModel | None = None,
    breakers: CircuitBreakers | None = None,
) -> ScenarioReport:
    """Replay the strategy through ``scenario`` starting at ``at_bar``.

    By default the scenario strikes the bar after the largest entry of a normal run,
    when the strategy is most exposed.
    """
    liquidity = liquidity or LiquidityModel()
    breakers = breakers or CircuitBreakers()
    n = len(frame)
    baseline = run_window(frame, spec, params)
    k = _default_bar(baseline, n) if at_bar is None else at_bar
    if not 0 < k < n:
        raise ValueError("the scenario must start after the first bar and inside the data")
    stressed_frame, span = apply_scenario(frame, scenario, k)
    stressed = run_window(stressed_frame, spec, params)
    depth = liquidity.normal_depth(frame)
    vol_q = stressed_frame["volume"].to_numpy() * stressed_frame["close"].to_numpy()
    normal_q = frame["volume"].to_numpy() * frame["close"].to_numpy()
    runs: list[Execution] = []
    calm: list[Execution] = []
    for bar, notional in _orders(stressed.trades, k, k + span):
        runs.append(
            execute(
                notional,
                vol_q[bar],
                depth * scenario.depth_mult,
                liquidity,
                spread_mult=scenario.spread_mult,
            )
        )
        calm.append(execute(notional, normal_q[bar], depth, liquidity))
    sizes = _orders(baseline.trades, 0, n)
    ref_size = float(np.median([s for _, s in sizes])) if sizes else 0.1 * spec.config.initial_cash
    ref = execute(
        ref_size, vol_q[k], depth * scenario.depth_mult, liquidity, spread_mult=scenario.spread_mult
    )
    filled = sum(e.filled for e in runs)
    wanted = sum(e.notional for e in runs)
    eq = np.asarray(stressed.equity, dtype=np.float64)
    dd = max_drawdown(eq[k : k + span], float(eq[k - 1]))
    move = (
        scenario.drop * min(1.0, breakers.price_window_min / scenario.minutes)
        if scenario.drop
        else 0.0
    )
    if bar_minutes(frame) <= breakers.price_window_min:
        hi = stressed_frame["high"].to_numpy()[k : k + span]
        lo = stressed_frame["low"].to_numpy()[k : k + span]
        move = max(move, float(np.max(1 - lo / hi)))
    fired = breakers.check(
        move_in_window=move,
        spread_mult=scenario.spread_mult,
        volume_mult=scenario.volume_mult,
        depth_mult=scenario.depth_mult,
        drawdown=dd,
    )
    close = stressed_frame["close"].to_numpy()
    return ScenarioReport(
        scenario=scenario.name,
        at_time=int(frame["timestamp"].iat[k]),
        bars=span,
        price_change=float(close[k + span - 1] / close[k - 1] - 1),
        orders=len(runs),
        fill_ratio=filled / wanted if wanted else math.nan,
        slippage=sum(e.cost for e in runs) / filled if filled else math.nan,
        slippage_normal=(
            sum(e.cost for e in calm) / sum(e.filled for e in calm) if calm else math.nan
        ),
        slippage_cost=sum(e.cost for e in runs),
        unfilled=wanted - filled,
        reference={
            "notional": ref.notional,
            "fill_ratio": ref.fill_ratio,
            "slippage": ref.slippage,
        },
        breakers=fired,
        fired=[name for name, hit in fired.items() if hit],
        drawdown=dd,
        baseline_return=float(baseline.equity[-1] / baseline.initial_cash - 1),
        stressed_return=float(eq[-1] / stressed.initial_cash - 1),
    )
