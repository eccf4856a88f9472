"""Pre-trade checks through the paper opener: each refusal carries its numbers, and
a trade inside every limit opens."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from core.risk.correlation import aligned_correlation
from services.paper.dto import TradeError
from tests.integration.risk.conftest import Env


async def refused(env: Env, text: str, user: int = 101) -> TradeError:
    with pytest.raises(TradeError) as info:
        await env.trade(user, text)
    return info.value


async def test_capital_per_position(env: Env) -> None:
    # 15 % of the 1000 balance (less the entry fee of earlier trades: none yet) = 150.
    err = await refused(env, "BTC/USDT long 151")
    assert err.key == "risk-refuse-position-share"
    assert err.params["pct"] == "15" and err.params["max"] == "150.00"
    ok = await env.trade(101, "BTC/USDT long 149")
    assert ok.position.margin <= Decimal(150)


async def test_used_margin_cap_is_half_the_deposit(env: Env) -> None:
    quote = await env.services.paper.quote("BTC/USDT", "long")
    stop = (quote.price * Decimal("0.995")).quantize(Decimal(1))  # little risk at stops
    for _ in range(3):
        await env.trade(101, f"BTC/USDT long 140 x5 sl {stop}")
    err = await refused(env, f"BTC/USDT long 90 x5 sl {stop}")
    assert err.key == "risk-refuse-margin"
    assert err.params["max"] == "500.00"


async def test_portfolio_risk_at_stops(env: Env) -> None:
    quote = await env.services.paper.quote("BTC/USDT", "long")
    # a stop 20 % below: 100 margin x1 loses ~20 -> 4 of these reach 80 (8 %)
    stop = (quote.price * Decimal("0.8")).quantize(Decimal(1))
    for _ in range(3):
        await env.trade(101, f"BTC/USDT long 100 sl {stop}")
    err = await refused(env, f"BTC/USDT long 100 sl {stop}")
    assert err.key == "risk-refuse-portfolio-risk"
    assert err.params["pct"] == "8"
    assert Decimal(err.params["current"]) > Decimal(55)  # type: ignore[arg-type]


async def test_min_notional(env: Env) -> None:
    err = await refused(env, "BTC/USDT long 5")
    assert err.key == "risk-refuse-min-notional" and err.params["min"] == "10.00"


async def test_correlated_symbol_is_refused_and_uncorrelated_allowed(env: Env) -> None:
    market = env.services.market
    btc = (await market.ohlcv("BTC/USDT", "1h", limit=721)).frame
    eth = (await market.ohlcv("ETH/USDT", "1h", limit=721)).frame
    xrp = (await market.ohlcv("XRP/USDT", "1h", limit=721)).frame

    def rho(a: Any, b: Any) -> float:
        value = aligned_correlation(
            a.timestamp.to_numpy(np.int64), a.close.to_numpy(), b.timestamp.to_numpy(np.int64),
            b.close.to_numpy(), 3_600_000, 48,
        )  # fmt: skip
        assert value is not None
        return value

    assert rho(btc, eth) > 0.8 > rho(btc, xrp)
    await env.trade(101, "ETH/USDT long 50")
    err = await refused(env, "BTC/USDT long 50")
    assert err.key == "risk-refuse-correlation"
    assert err.params["other"] == "ETH/USDT" and err.params["rho"] == f"{rho(btc, eth):.2f}"
    # A short BTC against the long ETH hedges it; XRP is not correlated enough.
    assert (await env.trade(101, "BTC/USDT short 50")).position.side == "short"
    assert (await env.trade(101, "XRP/USDT long 50")).position.symbol == "XRP/USDT"


@pytest.mark.parametrize("settings_overrides", [{"risk_max_symbols": 2}])
async def test_symbol_limit_from_settings(env: Env) -> None:
    await env.trade(101, "XRP/USDT long 20")
    await env.trade(101, "DOGE/USDT long 20")
    err = await refused(env, "ADA/USDT long 20")
    assert err.key == "risk-refuse-symbols"
    assert err.params == {"count": "2", "max": "2", "currency": "USDT"}
    assert (await env.trade(101, "XRP/USDT long 20")).position.symbol == "XRP/USDT"


@pytest.mark.parametrize("settings_overrides", [{"risk_trading_hours": "08-20"}])
async def test_trading_hours_window(env: Env) -> None:
    # the replay clock starts at 00:00 UTC
    err = await refused(env, "BTC/USDT long 20")
    assert err.key == "risk-refuse-hours"
    assert (err.params["start"], err.params["end"]) == ("08:00", "20:00")
    env.advance(8 * 3_600_000)
    assert (await env.trade(101, "BTC/USDT long 20")).position is not None
