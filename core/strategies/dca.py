"""DCA deals: a market base order, limit safety orders below it, take-profit on the average.

A deal opens with a market buy of ``base_order`` quote at a bar's open. Safety order
``k`` (k = 1..``safety_orders``) rests a limit buy of ``safety_order * volume_scale**(k-1)``
quote (its quantity priced at its level) at ``base * (1 - d_k)``, with deviations
``d_k = deviation * (1 + step_scale + ... + step_scale**(k-1))``. The take-profit is a
limit sell of the whole position at ``average * (1 + take_profit)``, moved after every
safety fill. ``stop_loss`` (a fraction below the base price) sells everything. Fills
follow the candle sweep of `core.strategies.pathsim`: a take-profit moved by a fill on a
falling leg can fill on a later rising leg of the same candle. After a deal ends the
next one opens at the next bar's open (``restart``). Fees per fill; an order the cash
cannot pay is skipped and counted.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from core.strategies.pathsim import (
    PathResult,
    Segment,
    TradeLog,
    candle_path,
    fill_price,
    frame_arrays,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class DcaConfig:
    base_order: float = 100.0  # quote
    safety_order: float = 100.0  # quote, first safety order
    safety_orders: int = 5
    volume_scale: float = 1.5
    deviation: float = 0.02  # first safety order this far below the base price
    step_scale: float = 1.0
    take_profit: float = 0.015  # above the average entry
    stop_loss: float | None = None  # below the base price
    restart: bool = True

    def __post_init__(self) -> None:
        if self.base_order <= 0 or self.safety_order < 0:
            raise ValueError("order sizes must be positive")
        if self.safety_orders < 0:
            raise ValueError("safety_orders cannot be negative")
        if not 0 < self.deviation < 1 or self.step_scale <= 0 or self.volume_scale <= 0:
            raise ValueError("deviation must be in (0, 1); scales positive")
        if self.take_profit <= 0:
            raise ValueError("take_profit must be positive")
        if self.stop_loss is not None and not 0 < self.stop_loss < 1:
            raise ValueError("stop_loss is a fraction between 0 and 1")

    def deviations(self) -> list[float]:
        out, step, total = [], self.deviation, 0.0
        for _ in range(self.safety_orders):
            total += step
            out.append(total)
            step *= self.step_scale
        return out


class _Deal:
    """One open deal: fills so far and the orders still resting."""

    def __init__(self, cfg: DcaConfig, price: float, ts: int, bar: int, fee: float) -> None:
        self.base_price = price
        self.ts, self.bar = ts, bar
        self.qty = cfg.base_order / price
        self.cost = cfg.base_order
        self.fees = cfg.base_order * fee
        self.filled = 0
        self.safety = [
            (price * (1 - d), cfg.safety_order * cfg.volume_scale**k / (price * (1 - d)))
            for k, d in enumerate(cfg.deviations())
            if price * (1 - d) > 0
        ]
        self.tp_pct = cfg.take_profit
        self.stop = price * (1 - cfg.stop_loss) if cfg.stop_loss is not None else None

    @property
    def average(self) -> float:
        return self.cost / self.qty

    @property
    def tp(self) -> float:
        return self.average * (1 + self.tp_pct)


class DcaStrategy:
    """`PathStrategy` for DCA deals; see the module docstring for the rules."""

    name = "dca"
    kind: ClassVar[str] = "path"

    def __init__(self, config: DcaConfig | None = None, **params: object) -> None:
        self.config = config or DcaConfig(**params)  # type: ignore[arg-type]

    def simulate(
        self, frame: pd.DataFrame, *, initial_cash: float, fee_rate: float = 0.001
    ) -> PathResult:
        cfg = self.config
        arrays = frame_arrays(frame)
        ts, o, h, lo, c = (a.tolist() for a in arrays)
        n = len(ts)
        self._cash = float(initial_cash)
        self._fee = fee_rate
        self._log = TradeLog()
        self._unfunded = 0
        deals, safety_used, max_cost = 0, [], 0.0
        equity = np.full(n, float(initial_cash))
        deal: _Deal | None = None
        can_open = True
        for t in range(n):
            stamp = int(ts[t])
            prev = c[t - 1] if t else None
            if deal is None and can_open:
                deal = self._open(o[t], stamp, t)
                prev = None  # opened at this open: the gap is behind it
                deals += deal is not None
            if deal is not None:
                for seg in candle_path(prev, o[t], h[t], lo[t], c[t]):
                    if self._leg(deal, seg, stamp, t):
                        safety_used.append(deal.filled)
                        max_cost = max(max_cost, deal.cost)
                        deal = None
                        can_open = cfg.restart
                        break
            if deal is not None:
                max_cost = max(max_cost, deal.cost)
            equity[t] = self._cash + (deal.qty * c[t] if deal is not None else 0.0)
        if deal is not None:
            self._log_deal(deal, c[-1])
        trades = self._log.frame()
        done = trades[trades["exit_time"].notna()]
        return PathResult(
            trades=trades,
            equity=equity,
            timestamps=arrays[0],
            params={"strategy": self.name, **asdict(cfg)},
            close=arrays[4],
            initial_cash=float(initial_cash),
            extra={
                "deals": deals,
                "completed_deals": int((done["exit_reason"] == "take_profit").sum()),
                "stopped_deals": int((done["exit_reason"] == "stop_loss").sum()),
                "avg_safety_orders": float(np.mean(safety_used)) if safety_used else math.nan,
                "max_safety_orders": int(max(safety_used, default=0)),
                "max_deal_cost": max_cost,
                "unfunded_orders": self._unfunded,
            },
        )

    def _open(self, price: float, ts: int, bar: int) -> _Deal | None:
        cost = self.config.base_order
        if self._cash < cost * (1 + self._fee):
            self._unfunded += 1
            return None
        self._cash -= cost * (1 + self._fee)
        return _Deal(self.config, price, ts, bar, self._fee)

    def _leg(self, deal: _Deal, seg: Segment, ts: int, bar: int) -> bool:
        """Fill what one leg crosses; True when the deal ended."""
        if seg.down:
            while deal.safety and seg.end <= deal.safety[0][0] < seg.start:
                level, qty = deal.safety[0]
                if not seg.gap and deal.stop is not None and level < deal.stop:
                    break  # the stop fires first on the way down
                deal.safety.pop(0)
                price = fill_price(seg, level)
                cost = qty * price
                if self._cash < cost * (1 + self._fee):
                    self._unfunded += 1
                    continue
                self._cash -= cost * (1 + self._fee)
                deal.qty += qty
                deal.cost += cost
                deal.fees += cost * self._fee
                deal.filled += 1
            if deal.stop is not None and seg.end <= deal.stop < seg.start:
                self._close(deal, fill_price(seg, deal.stop), ts, bar, "stop_loss")
                return True
        elif seg.start < deal.tp <= seg.end:
            self._close(deal, fill_price(seg, deal.tp), ts, bar, "take_profit")
            return True
        return False

    def _close(self, deal: _Deal, price: float, ts: int, bar: int, reason: str) -> None:
        fee = deal.qty * price * self._fee
        self._cash += deal.qty * price - fee
        self._log_deal(deal, price, fee, ts, bar, reason)

    def _log_deal(
        self,
        deal: _Deal,
        price: float,
        exit_fee: float = 0.0,
        ts: int | None = None,
        bar: int | None = None,
        reason: str | None = None,
    ) -> None:
        """One row per deal, at its average entry; open (no ``ts``) deals marked at price."""
        self._log.lot(
            side=1,
            qty=deal.qty,
            entry_price=deal.average,
            entry_time=deal.ts,
            entry_bar=deal.bar,
            entry_fee=deal.fees,
            mark=price,
            exit_fee=exit_fee,
            exit_time=ts,
            exit_bar=bar,
            reason=reason,
        )
