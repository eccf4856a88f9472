"""The sources hub: the one `MarketData` the bot uses, whatever the configured mode.

- `exchange`: the exchange chain (cache, limits, retries, breaker, fallback, stale).
- `replay`: historical candles behind a movable clock.
- `sim`: the labelled synthetic market.
- `auto` (default): the exchange while it is reachable, otherwise the sim. An
  unreachable exchange is probed once (no retries, so offline start-up is quick)
  and re-probed every `probe_interval_s`; while the sim stands in, each user who
  asks for data is told once, before the first simulated answer
  (`services.market.notice`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from core.market.symbols import resolve_symbol
from core.market.timeframes import timeframe_ms
from services.market.base import (
    CandleResult,
    Clock,
    DataUnavailable,
    Depth,
    MarketInfo,
    Ticker,
    UnsupportedTimeframe,
)
from services.market.chain import AllSourcesFailed, SourceChain
from services.market.exchange import SourceError
from services.market.notice import announce_fallback
from services.market.replay import ReplayProvider
from services.market.sim import SimProvider
from services.market.store import CandleStore
from services.market.window import candle_window

if TYPE_CHECKING:
    from services.market.universe import UniverseService

log = logging.getLogger(__name__)


class MarketHub:
    def __init__(
        self,
        *,
        mode: str,
        clock: Clock,
        chain: SourceChain | None = None,
        sim: SimProvider | None = None,
        replay: ReplayProvider | None = None,
        probe_interval_s: float = 60.0,
    ) -> None:
        if mode in ("exchange", "auto") and chain is None:
            raise ValueError(f"mode {mode!r} needs exchange sources")
        if mode in ("sim", "auto") and sim is None:
            raise ValueError(f"mode {mode!r} needs the sim provider")
        if mode == "replay" and replay is None:
            raise ValueError("mode 'replay' needs a replay provider")
        self.mode = mode
        self.clock = clock
        self.chain = chain
        self.sim = sim
        self.replay = replay
        self.probe_interval_s = probe_interval_s
        self._offline_until: float | None = None  # auto mode: monotonic deadline
        self._probed = False
        self._told: set[int] = set()
        self._last_sim = False
        # Set by the factory: the candle cache and the universe/screening service.
        self.store: CandleStore | None = None
        self.universe: UniverseService | None = None

    # --- where answers come from ----------------------------------------------------
    @property
    def serving_sim(self) -> bool:
        """True while answers come from the synthetic market (the last one did)."""
        return self.mode == "sim" or (self.mode == "auto" and self._last_sim)

    @property
    def on_exchange(self) -> bool:
        """True when answers are expected from the exchange (exchange mode, or auto
        mode after a successful probe), i.e. when a request may be slow."""
        if self.mode == "exchange":
            return True
        return self.mode == "auto" and self._probed and not self._last_sim and not self._offline()

    def _offline(self) -> bool:
        return self._offline_until is not None and time.monotonic() < self._offline_until

    def fallback_notice_needed(self, user_id: int) -> bool:
        """True once per user while auto mode stands in the sim for the exchange."""
        if self.mode != "auto" or not self.serving_sim or user_id in self._told:
            return False
        self._told.add(user_id)
        return True

    def _go_offline(self, reason: str) -> None:
        if not self._last_sim:
            log.warning("exchange unreachable (%s); serving simulated data", reason)
        self._offline_until = time.monotonic() + self.probe_interval_s

    def _go_online(self) -> None:
        if self._offline_until is not None:
            log.info("exchange reachable again; leaving simulated data")
            self._told.clear()
        self._offline_until = None

    async def _use_exchange(self) -> bool:
        """Auto mode: decide between exchange and sim, probing when due."""
        if self.mode == "exchange":
            return True
        if self.mode != "auto":
            return False
        if self._offline():
            return False
        if not self._probed or self._offline_until is not None:
            assert self.chain is not None
            self._probed = True
            try:
                await self.chain.markets(retries=0, fallback=False)
            except AllSourcesFailed as exc:
                self._go_offline(str(exc))
                return False
            self._go_online()
        return True

    async def _dispatch(
        self, exchange_call: Callable[[], Any], other_call: Callable[[], Any]
    ) -> Any:
        if await self._use_exchange():
            try:
                result = await exchange_call()
            except AllSourcesFailed as exc:
                if self.mode != "auto" or exc.rejected_only:
                    raise
                self._go_offline(str(exc))
            else:
                self._last_sim = False
                return result
        result = await other_call()
        self._last_sim = self.mode == "auto"
        if self._last_sim:
            await announce_fallback(self)
        return result

    def _other(self) -> SimProvider | ReplayProvider:
        provider = self.replay if self.mode == "replay" else self.sim
        assert provider is not None
        return provider

    # --- MarketData -------------------------------------------------------------------
    async def ohlcv(
        self,
        symbol: str,
        timeframe: str,
        *,
        limit: int | None = None,
        since: int | None = None,
        until: int | None = None,
    ) -> CandleResult:
        try:
            timeframe_ms(timeframe)
        except ValueError:
            raise UnsupportedTimeframe(timeframe) from None
        kwargs = {"limit": limit, "since": since, "until": until}
        return await self._dispatch(
            lambda: self.chain.ohlcv(symbol, timeframe, **kwargs),  # type: ignore[union-attr]
            lambda: self._other().ohlcv(symbol, timeframe, **kwargs),
        )

    async def ticker(self, symbol: str) -> Ticker:
        return await self._dispatch(
            lambda: self.chain.ticker(symbol),  # type: ignore[union-attr]
            lambda: self._other().ticker(symbol),
        )

    async def tickers(self) -> dict[str, Ticker]:
        """Every ticker at once (one request on exchanges), for screening."""
        return await self._dispatch(
            lambda: self.chain.tickers(),  # type: ignore[union-attr]
            lambda: self._other().tickers(),
        )

    async def markets(self) -> dict[str, MarketInfo]:
        return await self._dispatch(
            lambda: self.chain.markets(),  # type: ignore[union-attr]
            lambda: self._other().markets(),
        )

    async def depth(self, symbol: str, within_pct: float = 1.0) -> Depth:
        return await self._dispatch(
            lambda: self.chain.depth(symbol, within_pct),  # type: ignore[union-attr]
            lambda: self._other().depth(symbol, within_pct),
        )

    async def normalize(self, text: str) -> str:
        """Unified symbol for user text; `UnknownSymbol` (with suggestions) otherwise."""
        markets = await self.markets()
        return resolve_symbol(text, markets.keys())

    async def data_end(self, symbol: str, timeframe: str) -> int:
        """Where "the last N days" ends for `symbol`: the close of the newest bar the
        replay holds for it (native or resampled) at the clock, else the clock."""
        if self.mode == "replay" and self.replay is not None:
            return await self.replay.data_end(symbol, timeframe)
        return self.clock.now_ms()

    # --- operations -------------------------------------------------------------------
    @property
    def source_name(self) -> str:
        if self.serving_sim or self.mode == "sim":
            return "sim"
        if self.mode == "replay":
            return "replay"
        assert self.chain is not None
        return self.chain.primary.name

    async def backfill(
        self,
        symbol: str,
        timeframe: str,
        since: int,
        until: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Fill the cache for [since, until] from the first working exchange (CLI fetch)."""
        if self.chain is None:
            raise DataUnavailable(symbol, "no exchange configured")
        start, end = candle_window(
            timeframe, self.clock.now_ms(), limit=None, since=since, until=until, default_limit=0
        )
        errors: list[SourceError] = []
        for source in self.chain.sources:
            try:
                return await self.chain.sync(source, symbol, timeframe, start, end, progress)
            except SourceError as exc:
                errors.append(exc)
        raise AllSourcesFailed(f"{symbol} {timeframe}", errors)

    def stats(self) -> dict[str, dict[str, Any]]:
        """Counters and breaker state per source (for /status and logs)."""
        out: dict[str, dict[str, Any]] = {}
        if self.chain is not None:
            for source in self.chain.sources:
                out[source.name] = {
                    **source.stats.snapshot(),
                    "breaker": str(source.breaker.state),
                }
        out["_hub"] = {"mode": self.mode, "serving_sim": self.serving_sim}
        return out

    async def aclose(self) -> None:
        if self.chain is not None:
            await self.chain.aclose()
