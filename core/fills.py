"""Fill rules shared by the backtest kernel (numba, float64) and paper trading (Decimal).

Design principle 6 ("honest simulation") is implemented exactly once, here. Every rule
is a small scalar function decorated with numba's ``register_jitable``: called from
Python it is the plain function (so it works on ``Decimal`` as well as ``float``), and
called from an ``njit`` function it is compiled inline. To stay generic the functions
use no float literals (``Decimal * float`` raises) and no NaN: a level that is not set
is ``0`` (prices are positive). Pass Decimals or ints from Decimal code, floats from
float code.

Conventions (docs/architecture.md, "Backtest engine and fills"):

* side is ``1`` for long and ``-1`` for short; an order's trade sign is ``+1`` for a
  buy and ``-1`` for a sell (entry = side, exit = -side).
* Entries and signal/manual exits are market orders at a bar's open, with slippage
  against the trader: ``price * bps / 10000 + atr * atr_fraction``.
* A stop is a stop-market order: touched inside a bar it fills at its level, or at the
  open when the bar opens beyond it; slippage applies (it is a market order).
* A take-profit is a limit order: it fills at its level, or at the open when the bar
  opens beyond it (the favourable gap: the resting order is matched at the first price
  available, which is the open; backtesting.py and vectorbt do the same). No slippage.
* When one bar touches the stop (or liquidation) and a TP, the adverse exit wins.
* TP1/TP2/TP3 close 50/30/20 % of the initial quantity; the last level that is set
  closes whatever remains. After TP1 the stop moves to the entry price, effective from
  the next bar.
* Liquidation (isolated margin, maintenance margin rate ``mmr`` on the mark notional,
  fees ignored): long ``entry * (1 - 1/L) / (1 - mmr)``, short
  ``entry * (1 + 1/L) / (1 + mmr)``. A long at 1x is never liquidated. Touched inside a
  bar it fills at the liquidation price (at the open on a gap beyond it); whichever of
  stop and liquidation lies nearer the open is hit first.
* Fees: ``price * qty * fee_rate`` on every fill, entry and exit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from numba.extending import register_jitable

LONG = 1
SHORT = -1

# Exit reason codes (kernel arrays hold these; REASONS maps them to result names).
R_NONE = 0
R_STOP = 1
R_TP1 = 2
R_TP2 = 3
R_TP3 = 4
R_SIGNAL = 5
R_LIQUIDATION = 6
R_END = 7
REASONS = ("", "stop", "tp1", "tp2", "tp3", "signal", "liquidation", "end")

# Share of the initial quantity closed at TP1, TP2, TP3, in percent.
TP1_PCT = 50
TP2_PCT = 30
TP3_PCT = 20

DEFAULT_MMR = Decimal("0.005")  # maintenance margin rate (Binance's lowest tier)


@register_jitable
def slippage(price, slippage_bps, atr, atr_fraction):
    """Price distance lost to slippage on a market order: bps of price plus ATR share."""
    return price * slippage_bps / 10000 + atr * atr_fraction


@register_jitable
def market_price(price, trade_sign, slip):
    """Fill price of a market order: a buy (+1) pays more, a sell (-1) receives less."""
    return price + trade_sign * slip


@register_jitable
def entry_price(open_, side, slippage_bps, atr, atr_fraction):
    """Entry fill at a bar's open (the bar after the signal) with adverse slippage."""
    return market_price(open_, side, slippage(open_, slippage_bps, atr, atr_fraction))


@register_jitable
def exit_price(price, side, slippage_bps, atr, atr_fraction):
    """Market exit (signal, manual, stop) of a ``side`` position at ``price``."""
    return market_price(price, -side, slippage(price, slippage_bps, atr, atr_fraction))


@register_jitable
def fee(price, qty, fee_rate):
    """Fee of one fill; charged on entry and on every exit fill."""
    return price * qty * fee_rate


@register_jitable
def gross_pnl(side, entry, exit_, qty):
    """Profit of closing ``qty`` at ``exit_`` before fees."""
    return side * (exit_ - entry) * qty


@register_jitable
def liquidation_price(entry, side, leverage, mmr):
    """Isolated-margin liquidation price; 0 when the position cannot be liquidated.

    Position margin is ``entry*qty/L``; liquidation happens when margin plus unrealized
    PnL falls to ``mmr * price * qty``. Solving for the price gives the formulas in the
    module docstring. Leverage below 1 is treated as 1.
    """
    if leverage < 1:
        leverage = leverage - leverage + 1
    level = entry * (leverage - side) / leverage / (1 - side * mmr)
    if level <= 0:
        return level - level
    return level


@register_jitable
def beyond(side, price, level):
    """True when ``price`` is at or past ``level`` on the adverse side of ``side``."""
    return side * (level - price) >= 0


@register_jitable
def adverse_level(side, stop, liq):
    """The adverse exit hit first (nearer the price): ``(level, reason)``; level 0 = none."""
    if liq <= 0:
        if stop <= 0:
            return stop - stop, R_NONE
        return stop, R_STOP
    if stop <= 0:
        return liq, R_LIQUIDATION
    # For a long the higher level is nearer; for a short the lower one.
    if side * (stop - liq) >= 0:
        return stop, R_STOP
    return liq, R_LIQUIDATION


@register_jitable
def stop_fill(side, open_, level):
    """Stop/liquidation fill before slippage: the level, or the open on a gap beyond it."""
    if beyond(side, open_, level):
        return open_
    return level


@register_jitable
def tp_fill(side, open_, level):
    """TP fill: the level, or the (better) open when the bar gaps beyond it."""
    if side * (open_ - level) > 0:
        return open_
    return level


@register_jitable
def tp_level(k, tp1, tp2, tp3):
    """Price of take-profit ``k`` (1..3); 0 when not set."""
    if k == 1:
        return tp1
    if k == 2:
        return tp2
    if k == 3:
        return tp3
    return tp1 - tp1


@register_jitable
def tp_close_qty(k, qty, remaining, tp1, tp2, tp3):
    """Quantity closed at TP ``k``: 50/30/20 % of ``qty``; the last set level takes all."""
    if k >= 3 or tp_level(k + 1, tp1, tp2, tp3) <= 0:
        return remaining
    pct = TP1_PCT if k == 1 else TP2_PCT
    part = qty * pct / 100
    if part > remaining:
        return remaining
    return part


@register_jitable
def resolve_bar(side, open_, high, low, stop, liq, tp1, tp2, tp3, next_tp):
    """Decide what one bar does to an open position.

    Returns ``(reason, price, tp_hits)``: an adverse exit (``R_STOP`` or
    ``R_LIQUIDATION``) of the whole remainder at ``price`` (slippage not yet applied), or
    ``R_NONE`` and how many take-profits, starting at ``next_tp``, the bar reached. The
    adverse exit is checked first, so a bar touching both stop and TP stops out.
    """
    zero = open_ - open_
    if liq > 0 and beyond(side, open_, liq):
        return R_LIQUIDATION, open_, 0
    level, reason = adverse_level(side, stop, liq)
    extreme = low if side > 0 else high
    if level > 0 and beyond(side, extreme, level):
        return reason, stop_fill(side, open_, level), 0
    favourable = high if side > 0 else low
    hits = 0
    k = next_tp
    while k <= 3:
        lv = tp_level(k, tp1, tp2, tp3)
        if lv <= 0 or side * (favourable - lv) < 0:
            break
        hits += 1
        k += 1
    return R_NONE, zero, hits


@register_jitable
def tighten_stop(side, stop, candidate):
    """Move a stop toward the price only (never loosen it); 0 = no stop yet."""
    if stop <= 0:
        return candidate
    if side > 0:
        return max(stop, candidate)
    return min(stop, candidate)


@register_jitable
def trailing_candidate(side, high, low, trail):
    """Trailing stop level from this bar's favourable extreme (effective next bar)."""
    if side > 0:
        return high * (1 - trail)
    return low * (1 + trail)


# ---------------------------------------------------------------------------------------
# Stateful form (plain Python; Decimal or float). The numba kernel in core/backtest keeps
# the same state in arrays and calls the same functions above.


@dataclass(frozen=True)
class Fill:
    """One fill: ``kind`` is "entry" or "exit"; ``reason`` is "" for entries."""

    kind: str
    reason: str
    qty: Any
    price: Any
    fee: Any
    pnl: Any  # gross PnL of the closed quantity (0 for entries)


@dataclass
class PositionState:
    """An open position as the fill rules see it. Levels are absolute prices, 0 = none."""

    side: int
    entry_price: Any
    qty: Any
    remaining: Any
    stop: Any
    tp1: Any
    tp2: Any
    tp3: Any
    liq_price: Any
    fee_rate: Any
    slippage_bps: Any = 0
    atr_fraction: Any = 0
    trail: Any = 0
    next_tp: int = 1
    fills: list[Fill] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.remaining > 0


def open_position(
    side: int,
    open_: Any,
    qty: Any,
    *,
    stop: Any = 0,
    tp1: Any = 0,
    tp2: Any = 0,
    tp3: Any = 0,
    leverage: Any = 1,
    fee_rate: Any = 0,
    slippage_bps: Any = 0,
    atr: Any = 0,
    atr_fraction: Any = 0,
    mmr: Any = DEFAULT_MMR,
    trail: Any = 0,
) -> tuple[PositionState, Fill]:
    """Open at ``open_`` (next bar's open, or the current price in paper trading)."""
    zero = open_ - open_
    price = entry_price(open_, side, slippage_bps, atr, atr_fraction)
    if isinstance(price, Decimal) and not isinstance(mmr, Decimal):
        mmr = Decimal(str(mmr))
    elif not isinstance(price, Decimal):
        mmr = float(mmr)
    state = PositionState(
        side=side,
        entry_price=price,
        qty=qty,
        remaining=qty,
        stop=stop or zero,
        tp1=tp1 or zero,
        tp2=tp2 or zero,
        tp3=tp3 or zero,
        liq_price=liquidation_price(price, side, leverage, mmr),
        fee_rate=fee_rate,
        slippage_bps=slippage_bps,
        atr_fraction=atr_fraction,
        trail=trail,
    )
    fill = Fill("entry", "", qty, price, fee(price, qty, fee_rate), zero)
    state.fills.append(fill)
    return state, fill


def _exit(state: PositionState, reason: int, qty: Any, price: Any) -> Fill:
    fill = Fill(
        "exit",
        REASONS[reason],
        qty,
        price,
        fee(price, qty, state.fee_rate),
        gross_pnl(state.side, state.entry_price, price, qty),
    )
    state.remaining -= qty
    state.fills.append(fill)
    return fill


def step_position(
    state: PositionState, open_: Any, high: Any, low: Any, close: Any, atr: Any = 0
) -> list[Fill]:
    """Apply one closed bar to an open position; returns the fills it produced.

    ``atr`` is the ATR known before this bar (for ATR-fraction slippage on stops).
    Breakeven (after TP1) and trailing updates take effect from the next bar.
    """
    if not state.is_open:
        return []
    s = state
    reason, price, hits = resolve_bar(
        s.side, open_, high, low, s.stop, s.liq_price, s.tp1, s.tp2, s.tp3, s.next_tp
    )
    out: list[Fill] = []
    if reason == R_LIQUIDATION:
        out.append(_exit(s, reason, s.remaining, price))
    elif reason == R_STOP:
        px = exit_price(price, s.side, s.slippage_bps, atr, s.atr_fraction)
        out.append(_exit(s, reason, s.remaining, px))
    else:
        for _ in range(hits):
            k = s.next_tp
            level = tp_level(k, s.tp1, s.tp2, s.tp3)
            qty = tp_close_qty(k, s.qty, s.remaining, s.tp1, s.tp2, s.tp3)
            out.append(_exit(s, R_TP1 + k - 1, qty, tp_fill(s.side, open_, level)))
            s.next_tp = k + 1
            if k == 1:
                s.stop = tighten_stop(s.side, s.stop, s.entry_price)
            if not s.is_open:
                break
        if s.is_open and s.trail > 0:
            s.stop = tighten_stop(s.side, s.stop, trailing_candidate(s.side, high, low, s.trail))
    return out


def close_position(
    state: PositionState, price: Any, reason: str = "signal", atr: Any = 0
) -> Fill | None:
    """Market-close the remainder at ``price`` (a bar's open) with slippage."""
    if not state.is_open:
        return None
    px = exit_price(price, state.side, state.slippage_bps, atr, state.atr_fraction)
    return _exit(state, REASONS.index(reason), state.remaining, px)
