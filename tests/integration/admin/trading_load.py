"""Concurrent trading activity for audit and backup tests: deposits, opens, monitor
passes, closes and settings changes from several users at once."""

from __future__ import annotations

import asyncio
import itertools
from decimal import Decimal

from services.accounts.grammar import DepositCommand
from services.accounts.service import AccountService
from services.market.base import ReplayClock
from services.paper.grammar import CloseRequest, parse_trade
from services.paper.service import PaperService
from services.users import UserService

HOUR = 3_600_000
_keys = itertools.count(1)


async def user_session(
    uid: int, accounts: AccountService, paper: PaperService, users: UserService, rounds: int
) -> int:
    """One user's burst of state changes; returns how many changes were made."""
    changes = 0
    await accounts.change(uid, DepositCommand("set", Decimal(10_000)))
    changes += 1
    for i in range(rounds):
        await accounts.change(uid, DepositCommand("add", Decimal(10 + i)))
        price = Decimal(str((await paper.market.ticker("BTC/USDT")).last))
        stop, tp = (
            (price * Decimal("0.8")).quantize(Decimal("0.01")),
            (price * Decimal("1.002")).quantize(Decimal("0.01")),
        )
        opened = await paper.open_trade(
            uid, parse_trade(f"BTC/USDT long 50 sl {stop} tp {tp}"), f"load-{uid}-{next(_keys)}"
        )
        changes += 2
        if i % 2:
            results = await paper.close(uid, CloseRequest(False, None, opened.position.id, None))
            changes += sum(1 for r in results if r.fill is not None)
        await users.update_settings(uid, min_confidence=50 + i % 40)
        changes += 1
        await asyncio.sleep(0)
    return changes


async def busy(
    uids: tuple[int, ...],
    accounts: AccountService,
    paper: PaperService,
    users: UserService,
    clock: ReplayClock,
    rounds: int = 4,
    monitor_hours: int = 6,
) -> None:
    """Every user trading at once, with monitor passes filling what the candles hit."""
    await asyncio.gather(*(user_session(u, accounts, paper, users, rounds) for u in uids))
    for _ in range(monitor_hours):
        clock.advance(HOUR)
        await paper.monitor.run_once()
