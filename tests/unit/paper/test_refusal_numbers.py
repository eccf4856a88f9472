"""Numbers inside refusals read like the rest of the bot: money in cents with its
currency, prices to the market tick, limits as written (QA: "price
150.95985250096805", "balance of -5.0000", "you have 1.5000 free", "the limit is
100.000" for 150%)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.trade import error_text
from services.accounts.dto import Money, Price
from services.accounts.numbers import NumberError
from services.i18n import Catalog
from services.paper.closing import breakeven_refusal
from services.paper.dto import PositionDTO, TradeError
from services.paper.grammar import parse_trade
from services.paper.hooks import BasicTradeRules, TradeProposal

D = Decimal
CATALOG = Catalog()
EN = CATALOG.translator("en")
RU = CATALOG.translator("ru")


def _proposal(**changes: object) -> TradeProposal:
    base: dict[str, object] = dict(
        user_id=1, trade_mode="paper", source="manual", signal_id=None, symbol="BTC/USDT",
        side="long", kind="spot", leverage=1, entry=D("111836.1449"), qty=D("0.001"),
        notional=D("111.84"), margin=D("111.84"), entry_fee=D("0.11"), stop=None,
        targets=(), risk_amount=None, liquidation_price=None, deposit=D("1.5"),
        balance=D("1.5"), used_margin=D(0), open_positions=0, min_notional=None,
        time_ms=0, currency="USDT", price_tick=D("0.01"),
    )  # fmt: skip
    base.update(changes)
    return TradeProposal(**base)  # type: ignore[arg-type]


async def _refusal(proposal: TradeProposal) -> TradeError:
    decision = await BasicTradeRules().check_new_trade(1, proposal)
    assert not decision.allowed
    return TradeError(decision.reason_key or "", **decision.params)


async def test_insufficient_balance_names_money_with_its_currency() -> None:
    err = await _refusal(_proposal())
    assert error_text(EN, err) == (
        "Not enough free balance: this position needs 111.95 USDT (margin and fee), "
        "you have 1.50 USDT free."
    )


async def test_a_stop_on_the_wrong_side_is_written_to_the_tick() -> None:
    err = await _refusal(_proposal(side="short", stop=D(1), balance=D(1000), deposit=D(1000)))
    text = error_text(EN, err)
    assert "The stop 1.00 is on the wrong side for a SHORT entered at 111,836.14" in text
    assert "Стоп 1.00 с неверной стороны" in error_text(RU, err)


def test_breakeven_refusal_writes_the_price_to_the_tick() -> None:
    position = PositionDTO(
        id=1, user_id=1, trade_mode="paper", source="manual", signal_id=None,
        symbol="SOL/USDT", side="long", kind="spot", leverage=1, timeframe="1m",
        entry_price=D("151.2"), qty=D(1), remaining_qty=D(1), margin=D("151.2"),
        stop=D(150), initial_stop=D(150), targets=(), tps_hit=0, liquidation_price=None,
        risk_amount=None, status="open", exit_reason=None, manual_exit=False,
        simulated=True, realized_pnl=D(0), fees=D(0), opened_ms=0, closed_ms=None,
    )  # fmt: skip
    err = breakeven_refusal(position, D("150.95985250096805"), D("0.001"))
    assert err is not None
    assert error_text(EN, err) == (
        "#1 is not in profit (price 150.960), so the stop cannot move to the entry."
    )


def test_a_share_above_100_percent_names_the_limit_as_a_share() -> None:
    with pytest.raises(NumberError) as err:
        parse_trade("BTC/USDT long 150%")
    assert error_text(EN, err.value) == "150% is too large: the limit is 100%."


def test_money_and_plain_numbers() -> None:
    err = TradeError("deposit-err-not-positive", balance=Money(D("-5"), "USDT"))
    assert "balance of -5.00 USDT." in error_text(EN, err)
    err = TradeError("trade-err-too-large", value="99999999999", max=D(1_000_000_000))
    assert error_text(EN, err) == "99999999999 is too large: the limit is 1,000,000,000."
    assert Price(D("1.5")).tick is None
