"""core/risk/checks.py: every pre-trade rule allows at its exact boundary and refuses
one smallest unit above it (Decimal money, no rounding slack)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from core.risk.checks import (
    ExposureItem,
    NewTrade,
    check_new_trade,
    in_trading_hours,
    position_risk,
)
from core.risk.limits import RiskLimits, parse_trading_hours

D = Decimal
TICK = D("0.0000000001")
NOON = int(datetime(2026, 11, 20, 12, 0, tzinfo=UTC).timestamp() * 1000)


def trade(**kw: object) -> NewTrade:
    values: dict[str, object] = {
        "symbol": "BTC/USDT",
        "side": "long",
        "notional": D("100"),
        "margin": D("100"),
        "risk": D("10"),
        "time_ms": NOON,
    }
    values.update(kw)
    return NewTrade(**values)  # type: ignore[arg-type]


def item(symbol: str = "ETH/USDT", margin: str = "10", risk: str = "1", side: str = "long"):
    return ExposureItem(symbol, side, D(margin), D(risk))


def check(t: NewTrade, items=(), capital="1000", deposit="1000", limits=None, corr=None):
    return check_new_trade(
        limits or RiskLimits(),
        t,
        capital=D(capital),
        deposit=D(deposit),
        open_items=list(items),
        correlations=corr,
    )


def test_a_modest_trade_passes() -> None:
    assert check(trade()) is None


def test_max_open_positions_boundary() -> None:
    nine = [item(f"S{i}/USDT", margin="1", risk="0") for i in range(9)]
    limits = RiskLimits(max_symbols=100)
    assert check(trade(), nine, limits=limits) is None  # the 10th is allowed
    ten = [*nine, item("S9/USDT", margin="1", risk="0")]
    refusal = check(trade(), ten, limits=limits)
    assert refusal is not None and refusal.code == "open_positions"
    assert refusal.params == {"open": 10, "max": 10}


def test_max_symbols_boundary_and_adding_to_an_open_symbol() -> None:
    five = [item(f"S{i}/USDT", margin="1", risk="0") for i in range(5)]
    assert check(trade(), five) is None  # sixth symbol allowed
    six = [*five, item("S5/USDT", margin="1", risk="0")]
    refusal = check(trade(), six)
    assert refusal is not None and refusal.code == "symbols"
    assert refusal.params == {"count": 6, "max": 6}
    # A position in a symbol already held does not add a symbol.
    assert check(trade(symbol="S0/USDT"), six) is None


def test_capital_per_position_boundary() -> None:
    assert check(trade(margin=D("150"), risk=D("1"))) is None  # exactly 15 % of 1000
    refusal = check(trade(margin=D("150") + TICK, risk=D("1")))
    assert refusal is not None and refusal.code == "position_share"
    assert refusal.params["max"] == D("150.00")


def test_capital_is_the_balance_not_the_deposit() -> None:
    # After losses the balance is 900: 15 % of it is 135.
    assert check(trade(margin=D("135"), risk=D("1")), capital="900") is None
    refusal = check(trade(margin=D("135.01"), risk=D("1")), capital="900")
    assert refusal is not None and refusal.code == "position_share"


def test_used_margin_boundary_is_half_the_deposit() -> None:
    open_ = [item(f"S{i}/USDT", margin="140", risk="0") for i in range(3)]  # 420 used
    assert check(trade(margin=D("80"), risk=D("1")), open_) is None  # 500 = 50 %
    refusal = check(trade(margin=D("80") + TICK, risk=D("1")), open_)
    assert refusal is not None and refusal.code == "margin"
    assert refusal.params["used"] == D("420") and refusal.params["max"] == D("500.00")


def test_portfolio_risk_at_stops_boundary() -> None:
    open_ = [item("ETH/USDT", margin="10", risk="50")]
    assert check(trade(risk=D("30")), open_) is None  # 80 = 8 % of 1000
    refusal = check(trade(risk=D("30") + TICK), open_)
    assert refusal is not None and refusal.code == "portfolio_risk"
    assert refusal.params["current"] == D("50") and refusal.params["max"] == D("80.00")


def test_a_trade_without_stop_risks_its_margin() -> None:
    assert check(trade(margin=D("80"), risk=None)) is None
    refusal = check(trade(margin=D("80") + TICK, risk=None))
    assert refusal is not None and refusal.code == "portfolio_risk"


def test_minimum_notional_boundary() -> None:
    assert check(trade(notional=D("10"), margin=D("10"), risk=D("1"))) is None
    refusal = check(trade(notional=D("10") - TICK, margin=D("5"), risk=D("1")))
    assert refusal is not None and refusal.code == "min_notional"


def test_correlation_refuses_strictly_above_the_limit_same_direction_only() -> None:
    open_ = [item("ETH/USDT")]
    assert check(trade(), open_, corr={"ETH/USDT": 0.8}) is None
    refusal = check(trade(), open_, corr={"ETH/USDT": 0.8000001})
    assert refusal is not None and refusal.code == "correlation"
    assert refusal.params["other"] == "ETH/USDT"
    # A short against a correlated long hedges it; a short against a strongly
    # anti-correlated long concentrates risk.
    assert check(trade(side="short"), open_, corr={"ETH/USDT": 0.95}) is None
    refusal = check(trade(side="short"), open_, corr={"ETH/USDT": -0.9})
    assert refusal is not None and refusal.code == "correlation"
    # Unknown correlation (not enough data) cannot refuse.
    assert check(trade(), open_, corr={"ETH/USDT": None}) is None


def test_trading_hours_window_including_wrap_past_midnight() -> None:
    limits = RiskLimits(trading_hours=(8, 20))
    at = lambda h, m=0: int(datetime(2026, 11, 20, h, m, tzinfo=UTC).timestamp() * 1000)  # noqa: E731
    assert check(trade(time_ms=at(8)), limits=limits) is None
    assert check(trade(time_ms=at(19, 59)), limits=limits) is None
    refusal = check(trade(time_ms=at(20)), limits=limits)
    assert refusal is not None and refusal.code == "hours"
    assert refusal.params == {"start": "08:00", "end": "20:00"}
    assert in_trading_hours((22, 6), at(23)) and in_trading_hours((22, 6), at(5, 59))
    assert not in_trading_hours((22, 6), at(6)) and not in_trading_hours((22, 6), at(21, 59))
    assert in_trading_hours(None, at(3))


def test_parse_trading_hours() -> None:
    assert parse_trading_hours("08-20") == (8, 20)
    assert parse_trading_hours("22-06") == (22, 6)
    assert parse_trading_hours("") is None and parse_trading_hours(None) is None
    for bad in ("8", "25-3", "x-y", "10-10"):
        with pytest.raises(ValueError):
            parse_trading_hours(bad)


def test_position_risk() -> None:
    # long 2 @ 100, stop 90: loss 20 + exit fee 90*2*0.001 = 0.18
    assert position_risk("long", D(100), D(90), D(2), D(50), D("0.001")) == D("20.180")
    # stop moved beyond the entry: only the exit fee remains
    assert position_risk("short", D(100), D(99), D(1), D(50), D("0.001")) == D("0.099")
    # no stop: the locked margin
    assert position_risk("long", D(100), None, D(1), D("33.3"), D("0.001")) == D("33.3")


def test_a_blocklisted_symbol_is_refused_first_spot_entry_covers_the_perpetual() -> None:
    blocked = frozenset({"DOGE/USDT"})
    for symbol in ("DOGE/USDT", "DOGE/USDT:USDT"):
        refusal = check_new_trade(
            RiskLimits(), trade(symbol=symbol, notional=D(1)), capital=D(1000),
            deposit=D(1000), open_items=[], blocked_symbols=blocked,
        )  # fmt: skip
        assert refusal is not None and refusal.code == "blocklist"  # before min_notional
        assert refusal.params == {"symbol": symbol}
    allowed = check_new_trade(
        RiskLimits(), trade(), capital=D(1000), deposit=D(1000), open_items=[],
        blocked_symbols=blocked,
    )  # fmt: skip
    assert allowed is None
