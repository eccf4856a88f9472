"""Target-weight book across assets, rebalanced when it drifts (e.g. a BTC-neutral book).

``weights`` maps asset names to signed fractions of equity; the rest is cash. Assets
named in ``perps`` are perpetual futures: any sign, settled every bar (the PnL of the
held size, ``qty * (close_t - close_{t-1})``, moves to cash; funding is not modelled).
The others are spot: weights >= 0 summing to at most 1 (no leverage), valued at the
close. A BTC-neutral book is ``{"spot": 0.5, "perp": -0.5}, perps=("perp",)``.

Drift is ``|w_actual - w_target|`` per asset, in weight points. At each close the book
is rebalanced when some asset drifts beyond ``max(min_drift, atr_mult * ATR%)`` of that
asset, where ATR% is the ATR over ``atr_window_ms`` (24 h: the period is that many
bars) divided by the close, and at least ``min_interval_ms`` (60 min) have passed
since the last rebalance. The decision is taken on the close and executed at the next
bar's open (design principle 6), every asset back to target at the open prices, with
the fee on each fill. The book is first built at the first open.

Trades: each holding period of an asset (from one rebalance to the next) is one row,
its PnL the price change on the held size minus the fees of the fills that set it up,
so ``initial_cash + sum(pnl) == equity[-1]``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from core.strategies.pathsim import PathResult, TradeLog

HOUR_MS = 3_600_000
_CHUNK = 512  # bars marked per vectorised step between rebalances


@dataclass(frozen=True, slots=True, kw_only=True)
class RebalanceConfig:
    weights: Mapping[str, float] = field(default_factory=lambda: {"asset": 0.5})
    perps: tuple[str, ...] = ()
    min_drift: float = 0.005
    atr_mult: float = 0.2
    atr_window_ms: int = 24 * HOUR_MS
    min_interval_ms: int = 60 * 60_000

    def __post_init__(self) -> None:
        if not self.weights:
            raise ValueError("rebalance needs at least one target weight")
        unknown = set(self.perps) - set(self.weights)
        if unknown:
            raise ValueError(f"perps without a weight: {sorted(unknown)}")
        spot = {k: w for k, w in self.weights.items() if k not in self.perps}
        if any(w < 0 for w in spot.values()):
            raise ValueError("spot weights cannot be negative (no shorting spot)")
        if sum(spot.values()) > 1 + 1e-12:
            raise ValueError("spot weights sum above 1 (spot has no leverage)")
        if self.min_drift < 0 or self.atr_mult < 0 or self.min_interval_ms < 0:
            raise ValueError("drift thresholds and interval cannot be negative")


def align_frames(frames: Mapping[str, pd.DataFrame]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Common timestamps of several frames and each asset's OHLC there (inner join)."""
    names = list(frames)
    ts = frames[names[0]]["timestamp"].to_numpy(dtype=np.int64)
    for name in names[1:]:
        ts = np.intersect1d(ts, frames[name]["timestamp"].to_numpy(dtype=np.int64))
    out = {}
    for name in names:
        f = frames[name]
        idx = np.searchsorted(f["timestamp"].to_numpy(dtype=np.int64), ts)
        out[name] = f[["open", "high", "low", "close"]].to_numpy(dtype=np.float64)[idx]
    return ts, out


def atr_pct(ohlc: np.ndarray, period: int) -> np.ndarray:
    """ATR (Wilder, `core.indicators.atr`) over ``period`` bars as a fraction of the close."""
    from core.indicators import atr

    if ohlc.shape[0] <= period:
        return np.full(ohlc.shape[0], np.nan)
    return atr(ohlc[:, 1], ohlc[:, 2], ohlc[:, 3], period) / ohlc[:, 3]


def drift_thresholds(
    px: Mapping[str, np.ndarray], names: list[str], period: int, cfg: RebalanceConfig
) -> np.ndarray:
    """Per bar and asset: ``max(min_drift, atr_mult * ATR%)`` (``min_drift`` in warm-up)."""
    cols = [np.fmax(cfg.min_drift, cfg.atr_mult * atr_pct(px[k], period)) for k in names]
    return np.column_stack(cols)


class RebalanceStrategy:
    """`PathStrategy` holding target weights; see the module docstring for the rules."""

    name = "rebalance"
    kind: ClassVar[str] = "path"

    def __init__(self, config: RebalanceConfig | None = None, **params: object) -> None:
        if "perps" in params and not isinstance(params["perps"], tuple):
            params["perps"] = tuple(params["perps"])  # type: ignore[arg-type]
        self.config = config or RebalanceConfig(**params)  # type: ignore[arg-type]

    def simulate(
        self,
        frame: pd.DataFrame | Mapping[str, pd.DataFrame],
        *,
        initial_cash: float,
        fee_rate: float = 0.001,
    ) -> PathResult:
        """One frame (one asset against cash) or a mapping of asset name -> frame."""
        cfg = self.config
        frames = dict(frame) if isinstance(frame, Mapping) else {next(iter(cfg.weights)): frame}
        missing = set(cfg.weights) - set(frames)
        if missing:
            raise ValueError(f"no candles for: {sorted(missing)}")
        ts, px = align_frames({k: frames[k] for k in cfg.weights})
        names = list(cfg.weights)
        n, m = ts.size, len(names)
        target = np.array([cfg.weights[k] for k in names])
        is_perp = np.array([k in cfg.perps for k in names])
        opens = np.column_stack([px[k][:, 0] for k in names]) if n else np.empty((0, m))
        closes = np.column_stack([px[k][:, 3] for k in names]) if n else np.empty((0, m))
        bar_ms = int(np.median(np.diff(ts))) if n > 1 else HOUR_MS
        period = max(1, round(cfg.atr_window_ms / bar_ms))
        thresholds = drift_thresholds(px, names, period, cfg) if n else np.empty((0, m))

        cash = float(initial_cash)
        qty = np.zeros(m)
        mark = np.zeros(m)  # price the perp PnL was last settled at
        log = TradeLog()
        since = [(0, 0, 0.0, 0.0)] * m  # (entry time, entry bar, entry price, entry fees)
        equity = np.full(n, cash)
        pending, last_rebalance = n > 0, 0
        rebalances, turnover, fees_total, max_drift = -1, 0.0, 0.0, 0.0
        spot_w = np.where(is_perp, 0.0, 1.0)
        t = 0
        while t < n:
            if pending:
                # settle perps to the open, then trade every asset to target at the open
                cash += float(np.sum(np.where(is_perp, qty * (opens[t] - mark), 0.0)))
                mark = np.where(is_perp, opens[t], mark)
                value = cash + float(np.sum(spot_w * qty * opens[t]))
                new_qty = target * value / opens[t]
                traded = np.abs(new_qty - qty) * opens[t]
                fees = traded * fee_rate
                cash -= float(np.sum(spot_w * (new_qty - qty) * opens[t])) + float(fees.sum())
                for j in range(m):
                    if t > 0 and qty[j] != 0:
                        self._close_period(
                            log, names[j], since[j], qty[j], opens[t, j], int(ts[t]), t
                        )
                    since[j] = (int(ts[t]), t, float(opens[t, j]), float(fees[j]))
                qty = new_qty
                turnover += float(traded.sum())
                fees_total += float(fees.sum())
                rebalances += 1
                last_rebalance = int(ts[t])
            # holdings stay fixed until the next trigger: mark a chunk of closes at once
            e = min(n, t + _CHUNK)
            cl = closes[t:e]
            perp_pnl = ((cl - mark) * (1.0 - spot_w) * qty).sum(axis=1)
            value = cash + perp_pnl + (cl * spot_w * qty).sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                drift = np.abs(qty * cl / value[:, None] - target)
            ok = value > 0
            due = ts[t:e] + bar_ms - last_rebalance >= cfg.min_interval_ms
            last = np.arange(t, e) + 1 >= n
            trig = ok & due & ~last & (drift > thresholds[t:e]).any(axis=1)
            hits = np.flatnonzero(trig)
            k = int(hits[0]) if hits.size else e - t - 1
            equity[t : t + k + 1] = value[: k + 1]
            if ok[: k + 1].any():
                max_drift = max(max_drift, float(drift[: k + 1][ok[: k + 1]].max()))
            cash += float(perp_pnl[k])
            mark = np.where(is_perp, cl[k], mark)
            pending = hits.size > 0
            t += k + 1
        for j in range(m):
            if n and qty[j] != 0:
                entry_ts, entry_bar, entry_px, entry_fee = since[j]
                log.lot(
                    side=1 if qty[j] > 0 else -1,
                    qty=abs(float(qty[j])),
                    entry_price=entry_px,
                    entry_time=entry_ts,
                    entry_bar=entry_bar,
                    entry_fee=entry_fee,
                    mark=float(closes[-1, j]),
                    asset=names[j],
                )
        avg_equity = float(equity.mean()) if n else cash
        return PathResult(
            trades=log.frame(),
            equity=equity,
            timestamps=ts,
            params={"strategy": self.name, **asdict(cfg), "weights": dict(cfg.weights)},
            close=closes[:, 0].copy() if m == 1 else None,
            initial_cash=float(initial_cash),
            extra={
                "rebalances": max(rebalances, 0),
                "turnover": turnover / avg_equity if avg_equity else math.nan,
                "fees": fees_total,
                "max_drift": max_drift,
                "assets": names,
            },
        )

    @staticmethod
    def _close_period(
        log: TradeLog,
        asset: str,
        since: tuple[int, int, float, float],
        qty: float,
        price: float,
        ts: int,
        bar: int,
    ) -> None:
        entry_ts, entry_bar, entry_px, entry_fee = since
        log.lot(
            side=1 if qty > 0 else -1,
            qty=abs(float(qty)),
            entry_price=entry_px,
            entry_time=entry_ts,
            entry_bar=entry_bar,
            entry_fee=entry_fee,
            mark=float(price),
            exit_time=ts,
            exit_bar=bar,
            reason="rebalance",
            asset=asset,
        )
