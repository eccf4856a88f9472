"""The signal service on replayed BTC/USDT candles: records, sizes, outcomes, stats."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.market.symbols import UnknownSymbol
from core.sizing import suggest_size
from services.signals.errors import BadTimeframe, SignalNotFound
from services.signals.format import render_signal
from services.signals.gate import BlockReason, SignalGate
from tests.integration.signals.conftest import DEPOSIT, LONG_CLOSE, Env

HOUR = 3_600_000


async def test_issued_signal_is_stored_and_sized_from_the_deposit(env: Env) -> None:
    user = await env.user(1, deposit=Decimal("1000"), risk_per_trade=Decimal("1"), leverage=3)
    view = await env.service.analyse("btc/usdt", user=user)
    s = view.signal
    assert (s.symbol, s.timeframe, s.direction, s.status) == ("BTC/USDT", "1h", "LONG", "active")
    # asked for while the bot runs: live, whatever the candle source (QA 14)
    assert (s.trade_mode, s.source, s.simulated, s.origin) == (
        "live",
        "replay",
        False,
        "request",
    )
    assert s.bar_time == LONG_CLOSE - HOUR and s.candle_close_ms == LONG_CLOSE
    assert s.entry is not None and s.stop is not None and s.stop < s.entry < s.tp1 < s.tp2 < s.tp3
    assert s.expires_ms == LONG_CLOSE + env.settings.signal_expiry_bars * HOUR
    assert {c["name"] for c in s.components} == {"trend", "mean_reversion", "breakout", "volume"}
    expected = suggest_size(Decimal("1000"), Decimal("0.01"), s.entry, s.stop, leverage=3)
    assert view.size_note == "ok" and view.size is not None
    assert view.size.qty == expected.qty and view.size.risk_amount == expected.risk_amount
    stored = await env.service.get(s.id)
    assert stored is not None and stored.size is not None
    assert Decimal(stored.size["qty"]) == expected.qty and stored.size["status"] == "ok"
    text = render_signal(view, env.service.catalog.translator("en"), deposit=Decimal(1000))
    assert "LONG" in text and "Entry" in text and "TP3" in text
    assert str(expected.qty.normalize())[:6] in text.replace(",", "")


async def test_no_deposit_says_so_instead_of_zero(env: Env) -> None:
    user = await env.user(2)  # never used /deposit: no silent default of 1000
    view = await env.service.analyse("BTC/USDT", user=user)
    assert (view.size, view.size_note) == (None, "no_deposit")
    assert await env.service.deposit_of(user) is None
    for lang, needle in (("en", "/deposit"), ("ru", "/deposit")):
        text = render_signal(view, env.service.catalog.translator(lang))
        assert needle in text


async def test_same_bar_is_one_record_and_buttons_check_the_user(env: Env) -> None:
    first = await env.service.analyse("BTC/USDT", user=await env.user(1))
    second = await env.service.analyse("BTCUSDT", user=await env.user(2))
    assert first.signal.id == second.signal.id
    assert (await env.service.for_user(first.signal.id, 1)).id == first.signal.id
    assert (await env.service.for_user(first.signal.id, 2)).id == first.signal.id
    with pytest.raises(SignalNotFound):
        await env.service.for_user(first.signal.id, 3)
    with pytest.raises(SignalNotFound):
        await env.service.for_user(first.signal.id + 100, 1)


async def test_bad_input_is_refused(env: Env) -> None:
    with pytest.raises(UnknownSymbol) as info:
        await env.service.analyse("BTCC/USDT")
    assert "BTC/USDT" in info.value.suggestions
    with pytest.raises(BadTimeframe):
        await env.service.analyse("BTC/USDT", "7m")


async def test_neutral_bar_is_stored_as_neutral_with_reasons(env: Env) -> None:
    env.clock.set(LONG_CLOSE - 20 * 24 * HOUR)  # 2023-06-01 01:00: no signal there
    view = await env.service.analyse("BTC/USDT", user=await env.user(1))
    assert (view.signal.direction, view.signal.status, view.size_note) == (
        "NEUTRAL",
        "neutral",
        "not_issued",
    )
    text = render_signal(view, env.service.catalog.translator("ru"))
    assert "НЕЙТРАЛЬНО" in text and "Почему" in text and "NEUTRAL" not in text


async def test_monitor_follows_to_the_outcome_and_stats_report_it(env: Env) -> None:
    user = await env.user(1)
    view = await env.service.analyse("BTC/USDT", user=user)
    s = view.signal
    report = await env.service.monitor()
    assert (report.followed, report.updated) == (1, 0)  # no candle has closed since
    env.clock.set(LONG_CLOSE + 30 * HOUR)  # past the 24-bar expiry
    report = await env.service.monitor()
    assert (report.followed, report.closed) == (1, 1)
    done = await env.service.get(s.id)
    assert done is not None and not done.is_open
    # BTC ran from 28.4k to 30k+ within the day: every target was reached in turn.
    assert (done.status, done.tp_hit) == ("tp3", 3)
    assert done.tp1_ms < done.tp2_ms <= done.tp3_ms
    levels = s.levels or {}
    expected_r = 0.5 * levels["rr_tp1"] + 0.3 * levels["rr_tp2"] + 0.2 * levels["rr_tp3"]
    assert done.outcome_r == pytest.approx(expected_r, rel=1e-9)

    (row,) = await env.service.signal_stats()
    assert (row.trade_mode, row.preset, row.issued, row.open, row.closed) == (
        "live",
        "composite",
        1,
        0,
        1,
    )
    assert (row.tp1_share, row.sl_share, row.expired) == (1.0, 0.0, 0)
    assert row.avg_r == pytest.approx(expected_r)
    assert await env.service.signal_stats(user_id=1) == [row]
    assert await env.service.signal_stats(user_id=99) == []
    assert await env.service.signal_stats(trade_mode="backfill") == []


async def test_only_the_backfill_path_tags_signals_backfill(env: Env) -> None:
    await env.user(1, notify_mode="all")
    live = await env.service.scan(symbols=["BTC/USDT"], force=True)
    replayed = await env.service.scan(symbols=["BTC/USDT"], force=True, trade_mode="backfill")
    assert len(live.issued) == len(replayed.issued) == 1
    modes = [(await env.service.get(i)).trade_mode for i in (*live.issued, *replayed.issued)]
    assert modes == ["live", "backfill"]  # the same bar, one record per mode


async def test_scan_issues_once_and_respects_the_cooldown(env: Env) -> None:
    await env.user(1, notify_mode="all")
    report = await env.service.scan(symbols=["BTC/USDT", "ETH/USDT"])
    assert len(report.issued) >= 1
    (btc,) = [
        s for s in [await env.service.get(i) for i in report.issued] if s.symbol == "BTC/USDT"
    ]
    assert (btc.origin, btc.direction) == ("scan", "LONG")
    assert report.deliveries == 0  # no sender configured here
    # The same candle again: nothing new, and a forced rescan hits the cooldown.
    again = await env.service.scan(symbols=["BTC/USDT"])
    assert again.evaluated == 0 and again.issued == []
    forced = await env.service.scan(symbols=["BTC/USDT"], force=True)
    assert forced.issued == [] and forced.skipped.get("cooldown") == 1


async def test_chart_is_a_png(env: Env) -> None:
    view = await env.service.analyse("BTC/USDT", user=await env.user(1))
    png = await env.service.chart(view.signal.id, "ru")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


class PausedUsers:
    """A risk gate that holds back signals for the listed users."""

    def __init__(self, *user_ids: int) -> None:
        self.user_ids = set(user_ids)

    async def blocked(self, user_id: int) -> BlockReason | None:
        if user_id in self.user_ids:
            return BlockReason("signal-blocked-generic")
        return None


async def test_risk_gate_hides_the_size_and_stops_pushes(env: Env) -> None:
    assert isinstance(PausedUsers(), SignalGate)
    env.service.set_gate(PausedUsers(1))
    paused = await env.service.analyse("BTC/USDT", user=await env.user(1, deposit=DEPOSIT))
    assert (paused.size, paused.size_note) == (None, "blocked")
    text = render_signal(paused, env.service.catalog.translator("en"))
    assert "paused by your risk rules" in text
    free = await env.service.analyse("BTC/USDT", user=await env.user(2, deposit=DEPOSIT))
    assert free.size_note == "ok"
    env.service.set_gate(None)
    assert (await env.service.view(paused.signal, await env.user(1))).size_note == "ok"


async def test_concurrent_requests_for_one_bar_store_one_record(env: Env) -> None:
    import asyncio

    from sqlalchemy import func, select

    from services.db.models.signals import SignalRecord

    users = [await env.user(uid) for uid in (11, 12, 13)]
    views = await asyncio.gather(*(env.service.analyse("BTC/USDT", user=u) for u in users))
    assert len({v.signal.id for v in views}) == 1
    async with env.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(SignalRecord)) == 1
    for user in users:
        assert (await env.service.for_user(views[0].signal.id, user.id)).id == views[0].signal.id


async def test_a_capped_size_names_the_cap_and_the_risk_really_taken(env: Env) -> None:
    # 5% risk on a stop ~1.5% away asks for a position far above 15% of the capital
    user = await env.user(3, deposit=Decimal("1000"), risk_per_trade=Decimal("5"), leverage=1)
    view = await env.service.analyse("BTC/USDT", user=user)
    size = view.size
    assert size is not None and size.capped_by == "position_cap"
    assert size.risk_amount < Decimal(50)
    for lang in ("en", "ru"):
        text = render_signal(
            view,
            env.service.catalog.translator(lang),
            deposit=Decimal(1000),
            risk_pct=Decimal(5),
        )
        actual = f"{size.risk_amount / 10:.2g}".rstrip("0").rstrip(".")
        risk = f"{size.risk_amount.quantize(Decimal('0.01'))} USDT"
        assert risk in text and f"({actual}%" in text and "50.00 USDT" in text
        if lang == "en":
            assert "limited by the 15% of capital per position limit: it risks" in text
            assert "less than your 5% (50.00 USDT)" in text
            assert "(5% of 1,000.00 USDT)" not in text  # the old contradiction
