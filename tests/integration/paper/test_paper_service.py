"""PaperService over real replayed BTC/USDT candles and a real SQLite database."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from core.accounting import money
from services.accounts.grammar import DepositCommand
from services.accounts.service import AccountService
from services.market.base import ReplayClock
from services.paper.dto import TradeError
from services.paper.grammar import CloseRequest, parse_trade
from services.paper.hooks import RiskDecision, TradeProposal
from services.paper.queries import utc_day
from services.paper.service import PaperService

D = Decimal
HOUR = 3_600_000
USER = 101


async def _deposit(accounts: AccountService, user: int = USER, amount: int = 1000) -> None:
    await accounts.change(user, DepositCommand("set", D(amount)))


async def test_open_prices_sizes_and_charges_the_fee(
    paper: PaperService, replay_accounts: AccountService
) -> None:
    await _deposit(replay_accounts)
    last = D(str((await paper.market.ticker("BTC/USDT")).last))
    result = await paper.open_trade(USER, parse_trade("btc long 100 x3"), "k1")
    p = result.position
    entry = money(last * (1 + D(5) / D(10_000)))  # 5 bps slippage against the buyer
    assert p.entry_price == entry
    assert p.qty == (D(300) / entry).quantize(D("1e-8"), rounding="ROUND_DOWN")
    assert (p.kind, p.leverage, p.symbol) == ("perp", 3, "BTC/USDT")
    assert result.entry_fee == money(entry * p.qty * D("0.0004"))
    assert p.liquidation_price == money(entry * (1 - D(1) / 3) / (1 - D("0.005")))
    # no sl/tp and no signal service: ATR defaults, stop below, three targets above
    assert result.level_source == "atr"
    assert p.stop is not None and p.stop < entry
    assert len(p.targets) == 3 and p.targets[0] < p.targets[1] < p.targets[2]
    assert p.targets[0] - entry == pytest.approx(entry - p.stop, abs=D("0.02"))
    assert result.risk_pct is not None and D(0) < result.risk_pct < D(100)
    account = await replay_accounts.get(USER)
    assert account.fees == result.entry_fee
    assert account.balance == D(1000) - result.entry_fee
    assert account.used_margin == p.margin


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("BTCX long 100", "trade-err-unknown-symbol-suggest"),
        ("BTC/USDT long 100 sl 99999", "trade-err-stop-side"),
        ("BTC/USDT short 100 sl 100", "trade-err-stop-side"),
        ("BTC/USDT long 100 sl 30000 tp 100", "trade-err-tp-side"),
        ("BTC/USDT long 100 sl 30000 tp 40000,38000", "trade-err-tp-order"),
        ("BTC/USDT long 5000", "trade-err-insufficient"),
        ("BTC/USDT long 0.00001", "trade-err-qty-zero"),
    ],
)
async def test_refusals_change_nothing(
    paper: PaperService, replay_accounts: AccountService, line: str, key: str
) -> None:
    await _deposit(replay_accounts)
    with pytest.raises(TradeError) as err:
        await paper.open_trade(USER, parse_trade(line), "k-bad")
    assert err.value.key == key
    if key == "trade-err-unknown-symbol-suggest":
        assert "BTC/USDT" in str(err.value.params["suggestions"])
    account = await replay_accounts.get(USER)
    assert (account.fees, account.open_positions, account.balance) == (0, 0, D(1000))


async def test_no_deposit_is_refused(paper: PaperService) -> None:
    with pytest.raises(TradeError) as err:
        await paper.open_trade(USER, parse_trade("BTC/USDT long 100"), "k")
    assert err.value.key == "trade-err-no-deposit"


async def test_same_request_key_opens_once_even_concurrently(
    paper: PaperService, replay_accounts: AccountService
) -> None:
    await _deposit(replay_accounts)
    req = parse_trade("BTC/USDT short 50 x2 sl 40000 tp 30000")
    results = await asyncio.gather(*(paper.open_trade(USER, req, "tap") for _ in range(5)))
    assert len({r.position.id for r in results}) == 1
    assert sum(not r.duplicate for r in results) == 1
    account = await replay_accounts.get(USER)
    assert account.open_positions == 1
    assert account.fees == results[0].position.fees


async def test_monitor_fills_tp1_moves_stop_then_closes(
    paper: PaperService, replay_accounts: AccountService, replay_clock: ReplayClock
) -> None:
    await _deposit(replay_accounts)
    price = D(str((await paper.market.ticker("BTC/USDT")).last))
    tp1, tp2 = (price * D("1.002")).quantize(D("0.01")), (price * D("1.5")).quantize(D("0.01"))
    stop = (price * D("0.9")).quantize(D("0.01"))
    line = f"BTC/USDT long 200 sl {stop} tp {tp1},{tp2}"
    opened = await paper.open_trade(USER, parse_trade(line), "m1")
    assert await paper.monitor.run_once() == []  # no candle closed since the entry
    events = []
    for _ in range(48):
        replay_clock.advance(HOUR)
        events = await paper.monitor.run_once()
        if events:
            break
    assert [e.fill.kind for e in events] == ["tp1"]
    fill, position = events[0].fill, events[0].position
    # half, rounded down to the step the entry was sized with (replay has no lot step)
    half = (opened.position.qty / 2).quantize(D("1e-8"), rounding="ROUND_DOWN")
    assert fill.qty == half
    assert fill.price >= tp1  # the level, or a better open on a gap
    assert fill.bar_ms is not None and fill.bar_ms >= opened.position.opened_ms
    assert position.stop == position.entry_price  # breakeven after TP1
    assert position.remaining_qty == opened.position.qty - half
    # a second pass at the same clock books nothing new
    assert await paper.monitor.run_once() == []
    # close the rest by hand at a typed price: recorded as is and marked manual
    [closed] = await paper.close(USER, CloseRequest(False, None, opened.position.id, tp1 + D(10)))
    assert closed.fill is not None and closed.fill.manual and closed.fill.price == tp1 + D(10)
    assert closed.position.status == "closed" and closed.position.manual_exit
    account = await replay_accounts.get(USER)
    fills = await paper.queries.fills(USER)
    assert account.balance == D(1000) + sum(f.pnl - f.fee for f in fills)
    assert account.realized_pnl == closed.position.realized_pnl
    days = await paper.queries.realized_by_day(USER)
    assert sum(days.values()) == account.balance - D(1000)
    assert utc_day(fill.time_ms) in days
    [done] = await paper.queries.closed_positions(USER)
    assert done.exit_reason == "close" and done.net_pnl == account.balance - D(1000)


async def test_close_at_market_all_and_breakeven(
    paper: PaperService, replay_accounts: AccountService, replay_clock: ReplayClock
) -> None:
    await _deposit(replay_accounts)
    a = await paper.open_trade(USER, parse_trade("BTC/USDT long 100 sl 30000 tp 50000"), "a")
    await paper.open_trade(USER, parse_trade("BTC/USDT short 100 x5 sl 50000 tp 30000"), "b")
    # the long is not in profit at the entry price: no breakeven yet
    with pytest.raises(TradeError) as err:
        await paper.move_stop_to_breakeven(USER, a.position.id)
    assert err.value.key == "trade-err-breakeven-price"
    with pytest.raises(TradeError):
        await paper.move_stop_to_breakeven(102, a.position.id)  # not your position
    portfolio = await paper.portfolio(USER)
    assert len(portfolio.positions) == 2
    assert all(v.unrealized_pnl is not None for v in portfolio.positions)
    assert portfolio.equity == portfolio.account.balance + portfolio.unrealized
    replay_clock.advance(HOUR)
    bid = D(str((await paper.market.ticker("BTC/USDT")).bid))
    results = await paper.close(USER, CloseRequest(True, None, None, None))
    assert len(results) == 2 and all(r.fill is not None for r in results)
    long_fill = next(r.fill for r in results if r.position.side == "long")
    assert long_fill is not None and long_fill.price == money(bid * (1 - D(5) / D(10_000)))
    with pytest.raises(TradeError) as err:
        await paper.close(USER, CloseRequest(True, None, None, None))
    assert err.value.key == "close-err-none"
    account = await replay_accounts.get(USER)
    assert account.used_margin == 0 and account.open_positions == 0
    fills = await paper.queries.fills(USER)
    assert account.balance == D(1000) + sum(f.pnl - f.fee for f in fills)


async def test_plugged_risk_check_runs_after_basic_rules(
    paper: PaperService, replay_accounts: AccountService
) -> None:
    seen: list[TradeProposal] = []

    class OnePosition:
        async def check_new_trade(self, user_id: int, proposal: TradeProposal) -> RiskDecision:
            seen.append(proposal)
            if proposal.open_positions >= 1:
                return RiskDecision.refuse("risk-max-positions", limit=1)
            return RiskDecision.allow()

    paper.set_risk_check(OnePosition())
    await _deposit(replay_accounts)
    await paper.open_trade(USER, parse_trade("BTC/USDT long 100"), "r1")
    with pytest.raises(TradeError) as err:
        await paper.open_trade(USER, parse_trade("BTC/USDT long 100"), "r2")
    assert (err.value.key, err.value.params) == ("risk-max-positions", {"limit": 1})
    with pytest.raises(TradeError) as err:  # basic rules refuse before the plugged check
        await paper.open_trade(USER, parse_trade("BTC/USDT long 100 sl 99999"), "r3")
    assert err.value.key == "trade-err-stop-side"
    assert len(seen) == 2
    assert seen[0].balance == D(1000) and seen[0].trade_mode == "paper"
