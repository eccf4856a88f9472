"""The numba simulation loop: signals in, fills, trades and equity out.

Every fill decision calls the rule functions of ``core.fills`` (compiled inline), so
the kernel and paper trading's ``step_position`` cannot drift apart; the scenario tables
run through both. State lives in float64 arrays so a run can be cut into chunks (for
progress reports) and resumed: ``simulate`` processes bars ``[lo, hi)`` and leaves
everything needed for the next chunk in ``pos`` and ``acct``.

Numba's on-disk cache only watches this file: after editing ``core/fills.py`` in a
checkout with a warm cache, touch this file (CI starts cold).
"""

from __future__ import annotations

import numba
import numpy as np

from core.fills import (
    R_LIQUIDATION,
    R_SIGNAL,
    R_STOP,
    R_TP1,
    entry_price,
    exit_price,
    fee,
    gross_pnl,
    liquidation_price,
    resolve_bar,
    tighten_stop,
    tp_close_qty,
    tp_fill,
    tp_level,
    trailing_candidate,
)

# Position slots: pos[slot, P_*]
P_ACTIVE, P_SIDE, P_ENTRY, P_QTY, P_REM, P_STOP, P_TP1, P_TP2, P_TP3 = range(9)
P_LIQ, P_NEXT_TP, P_ENTRY_BAR, P_ENTRY_FEE, P_INIT_STOP, P_ID = range(9, 15)
N_POS_FIELDS = 15

# Account: acct[A_*]
A_CASH, A_TRADES, A_BLOCKED, A_NEXT_ID = range(4)

# Trade rows (one per exit fill): trades[row, T_*]
T_ID, T_SIDE, T_ENTRY_BAR, T_EXIT_BAR, T_ENTRY, T_EXIT, T_QTY = range(7)
T_FEES, T_PNL, T_REASON, T_INIT_STOP = range(7, 11)
N_TRADE_FIELDS = 11

# Blocked signals: blocked[row, B_*]
B_BAR, B_SIDE, B_REASON = range(3)
BLOCK_REASONS = ("", "max_positions", "insufficient_cash", "no_stop_for_risk_sizing", "size_zero")
BLK_MAX_POS, BLK_CASH, BLK_NO_STOP, BLK_ZERO = 1, 2, 3, 4

SIZE_CODES = {"fixed_qty": 0, "quote": 1, "equity_pct": 2, "risk": 3}

# Scalar settings: params[K_*]
K_FEE, K_SLIP_BPS, K_SLIP_ATR, K_LEVERAGE, K_MMR, K_SIZE_MODE, K_SIZE = range(7)
K_MAX_POS, K_TRAIL, K_ALLOW_LONG, K_ALLOW_SHORT, K_CLOSE_OPP, K_START = range(7, 13)
N_PARAMS = 13


@numba.njit(cache=True)
def _record_exit(pos, p, acct, trades, bar, qty, price, reason, params):
    """Close ``qty`` of slot ``p`` at ``price``: cash, one trade row, slot bookkeeping."""
    side = pos[p, P_SIDE]
    entry = pos[p, P_ENTRY]
    exit_fee = fee(price, qty, params[K_FEE])
    entry_fee = pos[p, P_ENTRY_FEE] * qty / pos[p, P_QTY]
    gross = gross_pnl(side, entry, price, qty)
    acct[A_CASH] += qty * entry / params[K_LEVERAGE] + gross - exit_fee
    row = int(acct[A_TRADES])
    trades[row, T_ID] = pos[p, P_ID]
    trades[row, T_SIDE] = side
    trades[row, T_ENTRY_BAR] = pos[p, P_ENTRY_BAR]
    trades[row, T_EXIT_BAR] = bar
    trades[row, T_ENTRY] = entry
    trades[row, T_EXIT] = price
    trades[row, T_QTY] = qty
    trades[row, T_FEES] = exit_fee + entry_fee
    trades[row, T_PNL] = gross - exit_fee - entry_fee
    trades[row, T_REASON] = reason
    trades[row, T_INIT_STOP] = pos[p, P_INIT_STOP]
    acct[A_TRADES] += 1
    pos[p, P_REM] -= qty
    if pos[p, P_REM] <= 0:
        pos[p, P_ACTIVE] = 0.0


@numba.njit(cache=True)
def _block(acct, blocked, bar, side, reason):
    row = int(acct[A_BLOCKED])
    blocked[row, B_BAR] = bar
    blocked[row, B_SIDE] = side
    blocked[row, B_REASON] = reason
    acct[A_BLOCKED] += 1


@numba.njit(cache=True)
def _close_side(pos, acct, trades, bar, open_, atr, side, params):
    """Market-close every open position of ``side`` (0 = all) at this bar's open."""
    for p in range(pos.shape[0]):
        if pos[p, P_ACTIVE] > 0 and (side == 0 or pos[p, P_SIDE] == side):
            px = exit_price(open_, pos[p, P_SIDE], params[K_SLIP_BPS], atr, params[K_SLIP_ATR])
            _record_exit(pos, p, acct, trades, bar, pos[p, P_REM], px, R_SIGNAL, params)


@numba.njit(cache=True)
def _open(pos, acct, blocked, bar, open_, atr, side, stop, tp1, tp2, tp3, equity_prev, params):
    """Size and open a position at this bar's open, or record why the signal was refused."""
    slot = -1
    for p in range(pos.shape[0]):
        if pos[p, P_ACTIVE] == 0:
            slot = p
            break
    if slot < 0:
        _block(acct, blocked, bar, side, BLK_MAX_POS)
        return
    lev = params[K_LEVERAGE]
    px = entry_price(open_, side, params[K_SLIP_BPS], atr, params[K_SLIP_ATR])
    mode = int(params[K_SIZE_MODE])
    size = params[K_SIZE]
    if mode == 0:
        qty = size
    elif mode == 1:
        qty = size * lev / px
    elif mode == 2:
        qty = equity_prev * size / 100.0 * lev / px
    else:
        risk_unit = side * (px - stop)
        if stop <= 0 or risk_unit <= 0:
            _block(acct, blocked, bar, side, BLK_NO_STOP)
            return
        qty = equity_prev * size / 100.0 / risk_unit
    per_unit = px / lev + px * params[K_FEE]
    cash = acct[A_CASH]
    if qty * per_unit > cash:
        if mode == 0:
            _block(acct, blocked, bar, side, BLK_CASH)
            return
        qty = cash / per_unit
    if not qty > 0:
        _block(acct, blocked, bar, side, BLK_ZERO)
        return
    entry_fee = fee(px, qty, params[K_FEE])
    acct[A_CASH] -= qty * px / lev + entry_fee
    pos[slot, P_ACTIVE] = 1.0
    pos[slot, P_SIDE] = side
    pos[slot, P_ENTRY] = px
    pos[slot, P_QTY] = qty
    pos[slot, P_REM] = qty
    pos[slot, P_STOP] = stop
    pos[slot, P_TP1] = tp1
    pos[slot, P_TP2] = tp2
    pos[slot, P_TP3] = tp3
    pos[slot, P_LIQ] = liquidation_price(px, side, lev, params[K_MMR])
    pos[slot, P_NEXT_TP] = 1.0
    pos[slot, P_ENTRY_BAR] = bar
    pos[slot, P_ENTRY_FEE] = entry_fee
    pos[slot, P_INIT_STOP] = stop
    pos[slot, P_ID] = acct[A_NEXT_ID]
    acct[A_NEXT_ID] += 1


@numba.njit(cache=True)
def _step(pos, p, acct, trades, bar, o, h, low, atr, params):
    """One bar for one position: the same decisions as ``core.fills.step_position``."""
    side = pos[p, P_SIDE]
    tp1, tp2, tp3 = pos[p, P_TP1], pos[p, P_TP2], pos[p, P_TP3]
    reason, price, hits = resolve_bar(
        side, o, h, low, pos[p, P_STOP], pos[p, P_LIQ], tp1, tp2, tp3, int(pos[p, P_NEXT_TP])
    )
    if reason == R_LIQUIDATION:
        _record_exit(pos, p, acct, trades, bar, pos[p, P_REM], price, reason, params)
        return
    if reason == R_STOP:
        px = exit_price(price, side, params[K_SLIP_BPS], atr, params[K_SLIP_ATR])
        _record_exit(pos, p, acct, trades, bar, pos[p, P_REM], px, reason, params)
        return
    for _ in range(hits):
        k = int(pos[p, P_NEXT_TP])
        qty = tp_close_qty(k, pos[p, P_QTY], pos[p, P_REM], tp1, tp2, tp3)
        px = tp_fill(side, o, tp_level(k, tp1, tp2, tp3))
        _record_exit(pos, p, acct, trades, bar, qty, px, R_TP1 + k - 1, params)
        pos[p, P_NEXT_TP] = k + 1
        if k == 1:
            pos[p, P_STOP] = tighten_stop(side, pos[p, P_STOP], pos[p, P_ENTRY])
        if pos[p, P_ACTIVE] == 0:
            return
    if params[K_TRAIL] > 0:
        cand = trailing_candidate(side, h, low, params[K_TRAIL])
        pos[p, P_STOP] = tighten_stop(side, pos[p, P_STOP], cand)


@numba.njit(cache=True)
def _level(x):
    """Signal levels use NaN for "none"; the fill rules use 0."""
    return x if x > 0 else 0.0


@numba.njit(cache=True)
def simulate(
    lo,
    hi,
    open_,
    high,
    low,
    close,
    atr_prev,
    direction,
    stop,
    tp1,
    tp2,
    tp3,
    exit_,
    params,
    pos,
    acct,
    trades,
    blocked,
    equity,
):
    """Run bars ``[lo, hi)``. Signals of bar t-1 act at bar t's open (t > start)."""
    start = int(params[K_START])
    allow_long = params[K_ALLOW_LONG] > 0
    allow_short = params[K_ALLOW_SHORT] > 0
    lev = params[K_LEVERAGE]
    for t in range(lo, hi):
        if t < start:
            equity[t] = acct[A_CASH]
            continue
        o = open_[t]
        atr = atr_prev[t]
        if t > start:
            s = t - 1
            if exit_[s] != 0:
                _close_side(pos, acct, trades, t, o, atr, 0, params)
            d = direction[s]
            if d != 0:
                if params[K_CLOSE_OPP] > 0:
                    _close_side(pos, acct, trades, t, o, atr, -d, params)
                if (d > 0 and allow_long) or (d < 0 and allow_short):
                    _open(
                        pos,
                        acct,
                        blocked,
                        t,
                        o,
                        atr,
                        d,
                        _level(stop[s]),
                        _level(tp1[s]),
                        _level(tp2[s]),
                        _level(tp3[s]),
                        equity[t - 1],
                        params,
                    )
        value = 0.0
        for p in range(pos.shape[0]):
            if pos[p, P_ACTIVE] > 0:
                _step(pos, p, acct, trades, t, o, high[t], low[t], atr, params)
            if pos[p, P_ACTIVE] > 0:
                rem = pos[p, P_REM]
                entry = pos[p, P_ENTRY]
                value += rem * entry / lev + gross_pnl(pos[p, P_SIDE], entry, close[t], rem)
        equity[t] = acct[A_CASH] + value


def new_state(
    max_positions: int, initial_cash: float, n_signals: int, n_bars: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Zeroed state for ``simulate``: positions, account, trade/blocked buffers, equity.

    An entry produces at most three exit rows (TP1, TP2, then the rest), so three rows
    per signal bar bound the trade buffer.
    """
    pos = np.zeros((max_positions, N_POS_FIELDS))
    acct = np.zeros(4)
    acct[A_CASH] = initial_cash
    trades = np.zeros((3 * n_signals + 1, N_TRADE_FIELDS))
    blocked = np.zeros((n_signals + 1, 3))
    equity = np.empty(n_bars)
    return pos, acct, trades, blocked, equity
