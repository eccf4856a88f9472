"""A typed /close price must be one the market traded at while the position was open
(QA: `/close ETH/USDT 99999999` booked +3.8M USDT). Real replayed BTC/USDT 1h candles."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from core.accounting import to_decimal
from services.accounts.grammar import DepositCommand
from services.accounts.service import AccountService
from services.market.base import ReplayClock
from services.paper.dto import TradeError
from services.paper.grammar import CloseRequest, parse_trade
from services.paper.service import PaperService

D = Decimal
HOUR = 3_600_000
USER = 101


async def _open_and_hold(
    paper: PaperService, accounts: AccountService, clock: ReplayClock, hours: int
) -> tuple[int, Decimal, Decimal]:
    """Open a long, let `hours` candles close; returns (id, lowest low, highest high)
    of the candles from the one holding the entry on."""
    await accounts.change(USER, DepositCommand("set", D(1000)))
    opened = await paper.open_trade(USER, parse_trade("BTC/USDT long 100 sl 1000"), "k1")
    start = opened.position.opened_ms // HOUR * HOUR
    clock.advance(hours * HOUR)
    frame: pd.DataFrame = (
        await paper.market.ohlcv("BTC/USDT", "1h", since=start, until=clock.now_ms())
    ).frame
    frame = frame[frame["timestamp"] + HOUR <= clock.now_ms()]
    assert len(frame) == hours
    entry = opened.position.entry_price
    low = min(to_decimal(float(frame["low"].min())), entry)
    high = max(to_decimal(float(frame["high"].max())), entry)
    return opened.position.id, low, high


async def test_a_price_outside_the_traded_range_is_refused_and_changes_nothing(
    paper: PaperService, replay_accounts: AccountService, replay_clock: ReplayClock
) -> None:
    pid, low, high = await _open_and_hold(paper, replay_accounts, replay_clock, 6)
    before = await replay_accounts.get(USER)
    for price in (D(99_999_999), D(1), high * D("1.01"), low * D("0.99")):
        with pytest.raises(TradeError) as err:
            await paper.close(USER, CloseRequest(False, None, pid, price))
        assert err.value.key == "close-err-price-range", price
        assert err.value.params["low"].value <= low  # widened by the current quote only
        assert err.value.params["high"].value >= high
    (position,) = await paper.queries.open_positions(USER)
    assert position.id == pid and position.remaining_qty == position.qty
    assert await replay_accounts.get(USER) == before


async def test_the_extremes_of_the_candles_since_the_entry_are_accepted(
    paper: PaperService, replay_accounts: AccountService, replay_clock: ReplayClock
) -> None:
    pid, _, high = await _open_and_hold(paper, replay_accounts, replay_clock, 6)
    (result,) = await paper.close(USER, CloseRequest(False, None, pid, high))
    assert result.fill is not None and result.fill.manual and result.fill.price == high
    assert result.position.status == "closed"
