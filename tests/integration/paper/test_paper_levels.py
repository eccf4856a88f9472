"""Levels of a /trade that gives only some of them (QA: `sl 111900` got ATR targets
and the label "ATR defaults"). Real replayed BTC/USDT candles, no signal service."""

from __future__ import annotations

from decimal import Decimal

from services.accounts.grammar import DepositCommand
from services.accounts.service import AccountService
from services.paper.grammar import parse_trade
from services.paper.service import PaperService

D = Decimal
USER = 101


async def test_a_typed_stop_gets_targets_at_1r_2r_3r_of_it(
    paper: PaperService, replay_accounts: AccountService
) -> None:
    await replay_accounts.change(USER, DepositCommand("set", D(1000)))
    last = D(str((await paper.market.ticker("BTC/USDT")).last))
    stop = (last * D("0.98")).quantize(D(1))
    result = await paper.open_trade(USER, parse_trade(f"BTC/USDT long 100 sl {stop}"), "k1")
    p = result.position
    assert result.level_source == "user_stop" and p.stop == stop
    r = p.entry_price - stop
    for k, target in zip((1, 2, 3), p.targets, strict=True):
        assert abs(target - (p.entry_price + k * r)) <= D("0.01"), (k, target)
    far = (last * D("1.6")).quantize(D(1))
    short = await paper.open_trade(USER, parse_trade(f"BTC/USDT short 50 sl {far}"), "k2")
    s = short.position
    assert short.level_source == "user_stop" and s.stop == far
    assert len(s.targets) == 1 and D(0) < s.targets[0] < s.entry_price  # 2R, 3R below zero
    # the ATR path is unchanged when nothing is typed, and typed targets keep an ATR stop
    atr = await paper.open_trade(USER, parse_trade("BTC/USDT long 50"), "k3")
    assert atr.level_source == "atr" and len(atr.position.targets) == 3
    tp = (last * D("1.05")).quantize(D(1))
    mixed = await paper.open_trade(USER, parse_trade(f"BTC/USDT long 50 tp {tp}"), "k4")
    assert mixed.level_source == "user_targets_atr" and mixed.position.targets == (tp,)
    assert mixed.position.stop is not None and mixed.position.stop < mixed.position.entry_price
