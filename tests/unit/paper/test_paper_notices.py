"""Fill notices in both languages: the right message per fill kind, money signed."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from services.i18n import Catalog
from services.paper.dto import FillDTO, PositionDTO
from services.paper.notices import fill_notice, number, signed_money

D = Decimal
CATALOG = Catalog()

POSITION = PositionDTO(
    id=7, user_id=1, trade_mode="paper", source="manual", signal_id=None, symbol="BTC/USDT",
    side="long", kind="perp", leverage=3, timeframe="1m", entry_price=D("60000"),
    qty=D("0.01"), remaining_qty=D("0.005"), margin=D(200), stop=D("60000"),
    initial_stop=D("58000"), targets=(D("61000"), D("62000")), tps_hit=1,
    liquidation_price=D("40200"), risk_amount=D("20.6"), status="open", exit_reason=None,
    manual_exit=False, simulated=False, realized_pnl=D(5), fees=D("0.5"),
    opened_ms=0, closed_ms=None,
)  # fmt: skip
TP1 = FillDTO(
    id=1, position_id=7, user_id=1, trade_mode="paper", symbol="BTC/USDT", side="long",
    kind="tp1", qty=D("0.005"), price=D("61000"), fee=D("0.122"), pnl=D(5), manual=False,
    time_ms=3_600_000, bar_ms=3_600_000,
)  # fmt: skip


def test_tp1_mentions_breakeven_and_net_pnl() -> None:
    text = fill_notice(CATALOG.translator("en"), TP1, POSITION, balance=D("1004.5"))
    assert "#7 BTC/USDT LONG: TP1 filled" in text
    assert "0.005 at 61,000.00" in text and "PnL +4.88 USDT" in text
    assert "The stop moved to the entry (60,000.00)" in text


def test_breakeven_stop_closes_and_reports_result_in_russian() -> None:
    closed = replace(
        POSITION, remaining_qty=D(0), status="closed", exit_reason="breakeven",
        closed_ms=7_200_000, realized_pnl=D(5), fees=D("0.362"),
    )  # fmt: skip
    stop = replace(TP1, id=2, kind="stop", price=D("60000"), pnl=D(0), fee=D("0.24"),
                   time_ms=7_200_000, bar_ms=7_200_000)  # fmt: skip
    text = fill_notice(CATALOG.translator("ru"), stop, closed, balance=D("1004.638"))
    assert "закрыта в безубыток" in text
    assert "итог +4.64 USDT" in text and "баланс 1,004.64 USDT" in text


def test_liquidation_and_formatting() -> None:
    gone = replace(POSITION, remaining_qty=D(0), status="closed", exit_reason="liquidation",
                   closed_ms=9_000_000)  # fmt: skip
    liq = replace(TP1, kind="liquidation", price=D("40200"), pnl=D(-99), time_ms=9_000_000)
    text = fill_notice(CATALOG.translator("en"), liq, gone, balance=None)
    assert "liquidated" in text and "PnL -99.12 USDT" in text and "balance —" in text
    assert number(D("0.000012345")) == "0.000012345"
    assert signed_money(D("-0.004"), "USDT") == "+0.00 USDT"
    assert signed_money(D("-0.005"), "USDT") == "-0.01 USDT"


def _closed_by_targets(exit_reason: str, targets: tuple[Decimal, ...]) -> PositionDTO:
    return replace(
        POSITION, targets=targets, remaining_qty=D(0), status="closed", exit_reason=exit_reason,
        tps_hit=len(targets), closed_ms=3_600_000, realized_pnl=D(15), fees=D("0.6"),
    )  # fmt: skip


def test_single_target_closing_at_tp1_reports_the_net_result() -> None:
    """One target closes 100 % at TP1: that fill ends the position, so the notice
    carries the net result and balance (15 - 0.6 = +14.40)."""
    gone = _closed_by_targets("tp1", (D("61000"),))
    tp1 = replace(TP1, qty=D("0.01"), pnl=D(15), fee=D("0.244"))
    text = fill_notice(CATALOG.translator("en"), tp1, gone, balance=D("1014.4"))
    assert "Position closed · net result +14.40 USDT · balance 1,014.40 USDT" in text
    assert "The stop moved" not in text


def test_targets_filled_in_one_bar_report_the_result_once() -> None:
    """TP1, TP2 and TP3 filling on one candle share its time: only the last fill
    (TP3) says the position closed, not TP2 as well."""
    gone = _closed_by_targets("tp3", (D("61000"), D("62000"), D("63000")))
    texts = [
        fill_notice(CATALOG.translator("en"), replace(TP1, id=i, kind=kind), gone, balance=D(1))
        for i, kind in enumerate(("tp1", "tp2", "tp3"), start=1)
    ]
    assert ["Position closed" in t for t in texts] == [False, False, True]
