"""Property tests: after any sequence of deposits, opens, candles (partial exits, stops,
liquidations) and closes, the stored money adds up exactly and no quantity goes
negative. Real services, a real SQLite file per example."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

import services.db.models  # noqa: F401
from services.accounts.dto import AccountError
from services.accounts.grammar import DepositCommand
from services.accounts.service import AccountService
from services.db.base import Base
from services.db.engine import Database
from services.db.models.trading import DepositEntry, Fill, Position
from services.market.base import ReplayClock
from services.paper import closing
from services.paper.config import PaperConfig
from services.paper.dto import TradeError
from services.paper.monitor import PaperMonitor
from services.paper.opening import Opener, OpenSpec, Quote
from services.users import UserService

D = Decimal
USER = 7
HOUR = 3_600_000
T0 = 1_700_002_800_000

pct = st.decimals(min_value=D("0.001"), max_value=D("0.05"), places=3)
deposit_op = st.tuples(
    st.just("deposit"),
    st.sampled_from(["set", "add", "withdraw"]),
    st.decimals(min_value=D("0.01"), max_value=D(5000), places=2),
)
open_op = st.tuples(
    st.just("open"),
    st.sampled_from(["long", "short"]),
    st.decimals(min_value=D(1), max_value=D(400), places=2),
    st.sampled_from([1, 1, 2, 3, 5, 10, 50]),
    pct,  # stop distance
    st.lists(pct, min_size=0, max_size=3, unique=True),  # target distances
)
bar_op = st.tuples(
    st.just("bar"),
    st.decimals(min_value=D("-0.04"), max_value=D("0.04"), places=3),  # open gap
    pct,  # up wick
    pct,  # down wick
    st.decimals(min_value=D("-0.03"), max_value=D("0.03"), places=3),  # close move
)
close_op = st.tuples(st.just("close"), st.integers(0, 9), st.booleans())
ops = st.lists(
    st.one_of(open_op, bar_op, bar_op, bar_op, close_op, deposit_op), min_size=1, max_size=20
)


async def _run(sequence: list[tuple], folder: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{folder / 'p.db'}")
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        await UserService(db, languages=("en",), default_language="en").upsert(USER)
        clock = ReplayClock(T0)
        accounts = AccountService(db, clock.now_ms)
        config = PaperConfig(monitor_timeframe="1h")
        opener = Opener(db, accounts, config, clock.now_ms)
        monitor = PaperMonitor(db, None, clock.now_ms)
        price = D(100)
        await accounts.change(USER, DepositCommand("set", D(1000)))
        for n, op in enumerate(sequence):
            kind = op[0]
            if kind == "deposit":
                with contextlib.suppress(AccountError):
                    await accounts.change(USER, DepositCommand(op[1], op[2]))
            elif kind == "open":
                _, side, margin, lev, stop_d, tps = op
                sign = 1 if side == "long" else -1
                tps = sorted(tps)
                spec = OpenSpec(
                    symbol="X/USDT",
                    side=side,
                    leverage=lev,
                    margin=margin,
                    stop=(price * (1 - sign * stop_d)).quantize(D("0.0001")),
                    targets=tuple((price * (1 + sign * t)).quantize(D("0.0001")) for t in tps),
                    timeframe="1h",
                )
                with contextlib.suppress(TradeError):
                    await opener.open(USER, spec, Quote(price, clock.now_ms()), f"op{n}")
            elif kind == "bar":
                _, gap, up, down, move = op
                o = price * (1 + gap)
                c = max(o * (1 + move), D("0.01"))
                h, lo = max(o, c) * (1 + up), min(o, c) * (1 - down)
                ts = clock.now_ms() - clock.now_ms() % HOUR + HOUR
                clock.set(ts + HOUR)
                async with db.session() as s:
                    ids = list(
                        await s.scalars(select(Position.id).where(Position.status == "open"))
                    )
                for pid in ids:
                    await monitor.apply_bars(pid, [(ts, o, h, lo, c)])
                price = c.quantize(D("0.0001"))
            else:
                _, index, manual = op
                positions = await closing.open_rows(db, USER, "paper")
                if positions:
                    p = positions[index % len(positions)]
                    await closing.close_at(
                        db, USER, p.id, base_price=price, manual=manual, time_ms=clock.now_ms()
                    )
            await _check(db, accounts)
    finally:
        await db.dispose()


async def _check(db: Database, accounts: AccountService) -> None:
    async with db.session() as s:
        fills = list(await s.scalars(select(Fill)))
        positions = list(await s.scalars(select(Position)))
        ledger = list(await s.scalars(select(DepositEntry).order_by(DepositEntry.id)))
    account = await accounts.get(USER)
    if not account.exists:
        assert not fills
        return
    total_pnl = sum((f.pnl for f in fills), D(0))
    total_fees = sum((f.fee for f in fills), D(0))
    assert account.deposit == sum((e.amount for e in ledger), D(0))
    assert account.realized_pnl == total_pnl
    assert account.fees == total_fees
    assert account.balance == account.deposit + total_pnl - total_fees
    for p in positions:
        mine = [f for f in fills if f.position_id == p.id]
        exited = sum((f.qty for f in mine if f.kind != "entry"), D(0))
        assert p.remaining_qty >= 0
        assert p.remaining_qty == p.qty - exited
        assert (p.status == "closed") == (p.remaining_qty == 0)
        assert p.realized_pnl == sum((f.pnl for f in mine), D(0))
        assert p.fees == sum((f.fee for f in mine), D(0))
        assert len({f.kind for f in mine}) == len(mine)  # each kind at most once
    event(f"exit kinds: {sorted({f.kind for f in fills if f.kind != 'entry'})}")


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sequence=ops)
def test_money_adds_up_after_any_sequence(sequence: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_run(sequence, Path(folder)))
