"""Test setup: a paper position closed at an exact price, to give risk and report
tests the loss or profit they are about.

`/close ID PRICE` refuses a price the market did not trade at since the entry, so it
cannot fabricate a -50 % day; this books the exit through the production booking code
(`services.paper.closing.close_at`, manual price, the market clock's time) without
that user-input check.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from services.paper import closing
from services.paper.dto import CloseResult


async def book_exit(services: Any, user_id: int, position_id: int, price: Decimal) -> CloseResult:
    return await closing.close_at(
        services.db,
        user_id,
        position_id,
        base_price=price,
        manual=True,
        time_ms=services.market.clock.now_ms(),
    )
