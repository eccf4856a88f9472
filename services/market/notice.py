"""Who is asking for market data right now, so the hub can tell a user once that
the exchange is unreachable and the market shown is simulated.

The bot sets the requester around each update (`requested_by`); the hub calls
`announce_fallback` whenever it answers from the sim in auto mode. The notice thus
comes before the first answer built on simulated data, whatever command asked for
it (/signal, /trade, /backtest, /top, a button), without any handler's help.
Scheduled jobs and health probes (`unattended`) have no requester and announce
nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Requester:
    user_id: int
    announce: Callable[[], Awaitable[object]]


_requester: ContextVar[_Requester | None] = ContextVar("market_requester", default=None)


class _Notifying(Protocol):
    def fallback_notice_needed(self, user_id: int) -> bool: ...


@contextmanager
def requested_by(user_id: int, announce: Callable[[], Awaitable[object]]) -> Iterator[None]:
    """Market data fetched inside this block is on behalf of `user_id`; `announce`
    sends them the fallback notice."""
    token = _requester.set(_Requester(user_id, announce))
    try:
        yield
    finally:
        _requester.reset(token)


@contextmanager
def unattended() -> Iterator[None]:
    """Market data fetched inside this block is on nobody's behalf: a health probe
    whose report (/admin, /status) names the data source itself, so the notice
    would only repeat it; the user still gets it before their first data answer."""
    token = _requester.set(None)
    try:
        yield
    finally:
        _requester.reset(token)


async def announce_fallback(hub: _Notifying) -> None:
    """Send the current requester the fallback notice if they have not had it."""
    requester = _requester.get()
    if requester is None or not hub.fallback_notice_needed(requester.user_id):
        return
    try:
        await requester.announce()
    except Exception:  # a failed notice must not fail the data request
        log.warning("fallback notice to %s failed", requester.user_id, exc_info=True)
