"""The signal service: analyse a symbol, keep the record, size it for a user,
explain it, chart it, follow it to its outcome and report hit rates.

Scheduled scans and their delivery live in `services/signals/delivery.py`; the
pure pieces (engine, sizing, fill rules) in `core/`. Every record says which
trade mode produced it: candles from the exchange are `live`, replayed or
simulated candles are `backfill`, so hit rates of the two are never mixed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from core.accounting import step_from_precision
from core.market.timeframes import InvalidTimeframe, timeframe_ms
from core.strategies.base import SignalDetails
from core.strategies.engine import config_for, evaluate
from services.ai.explainer import ClaudeExplainer, ExplainerUnavailable
from services.charts import ChartLevels, render_signal_chart
from services.i18n import Catalog, Translator
from services.signals import store
from services.signals.dto import (
    Explanation,
    MonitorReport,
    SignalDTO,
    SignalStatsRow,
    SignalView,
)
from services.signals.errors import BadTimeframe, NoData, NotTradable, SignalNotFound
from services.signals.format import chart_labels, explain_facts, fallback_explanation, fmt_time
from services.signals.gate import AllowAll, SignalGate
from services.signals.outcome import follow_signal
from services.signals.pool import shutdown_pool
from services.signals.sizing import size_for, size_json, user_deposit

if TYPE_CHECKING:
    from core.config import Settings
    from services.db.engine import Database
    from services.market.base import CandleResult, MarketData
    from services.notify import Sender
    from services.users import UserDTO, UserService

log = logging.getLogger(__name__)

HISTORY_BARS = 1500  # enough for the daily MTF trend on a 1h base
CHART_BARS = 400  # 120 shown, the rest warms up EMA 200
TIMEFRAMES = ("5m", "15m", "30m", "1h", "2h", "4h", "1d")


async def evaluate_symbol(
    market: MarketData, symbol: str, timeframe: str, preset: str
) -> tuple[SignalDetails, CandleResult]:
    """Engine details of the last closed candle of `symbol` (the CPU work runs in a
    thread so a chat never waits behind it). Raises NoData for an empty series."""
    result = await market.ohlcv(symbol, timeframe, limit=HISTORY_BARS)
    if result.frame.empty:
        raise NoData(symbol=symbol, timeframe=timeframe)
    config = config_for(preset, timeframe=timeframe)
    details = await asyncio.to_thread(evaluate, result.frame, config)
    return details, result


# The trade mode of signals issued while the bot runs, whatever the candle source:
# a simulated or replayed market is still the bot answering live (the record's
# `simulated` and `source` say where the candles came from). Only the backfill path
# (`tradebot backfill`, services/paper/backfill.py) issues `backfill` signals, by
# passing trade_mode="backfill" to `scan`.
LIVE = "live"
BACKFILL = "backfill"


class SignalService:
    def __init__(
        self,
        *,
        db: Database,
        market: MarketData,
        users: UserService,
        catalog: Catalog,
        settings: Settings,
        explainer: ClaudeExplainer,
        accounts: Any | None = None,
        sender: Sender | None = None,
        gate: SignalGate | None = None,
        wall_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
    ) -> None:
        self.db = db
        self.market = market
        self.users = users
        self.catalog = catalog
        self.settings = settings
        self.explainer = explainer
        self.accounts = accounts
        self.sender = sender
        self._gate: SignalGate = gate or AllowAll()
        self.wall_ms = wall_ms
        # Inline keyboard for a signal card: set by handlers/signal.py at start-up so
        # pushed signals carry the same buttons as /signal (services import no handlers).
        self.markup_factory: Callable[[SignalDTO, Translator], Any] | None = None
        self.scanned: dict[str, int] = {}  # preset -> close time of the last scanned bar

    # -- wiring -----------------------------------------------------------------------

    @property
    def gate(self) -> SignalGate:
        return self._gate

    def set_gate(self, gate: SignalGate | None) -> None:
        """Plug in the risk rules (None restores the allow-all default)."""
        self._gate = gate or AllowAll()

    async def aclose(self) -> None:
        await self.explainer.aclose()
        shutdown_pool()

    async def scan(self, **kwargs: Any) -> Any:
        """One scheduled scan pass (see `services.signals.delivery.scan`)."""
        from services.signals.delivery import scan

        return await scan(self, **kwargs)

    # -- analysis ---------------------------------------------------------------------

    async def resolve(self, text: str, timeframe: str | None, preset: str) -> tuple[str, str]:
        """Symbol and timeframe checked: UnknownSymbol (with suggestions), BadTimeframe,
        NotTradable."""
        symbol = await self.market.normalize(text)
        tf = (timeframe or config_for(preset).timeframe).lower()
        try:
            timeframe_ms(tf)
        except InvalidTimeframe:
            raise BadTimeframe(timeframe=tf, choices=", ".join(TIMEFRAMES)) from None
        if tf not in TIMEFRAMES:
            raise BadTimeframe(timeframe=tf, choices=", ".join(TIMEFRAMES))
        if symbol not in await self.tradable():
            raise NotTradable(symbol=symbol)
        return symbol, tf

    async def tradable(self) -> list[str]:
        """The tradable universe (MARKET's liquidity screen, block/white lists), or the
        active markets when no universe service is attached."""
        universe = getattr(self.market, "universe", None)
        if universe is not None:
            return (await universe.build()).symbols
        return [m.symbol for m in (await self.market.markets()).values() if m.active]

    async def evaluate(
        self, symbol: str, timeframe: str, preset: str
    ) -> tuple[SignalDetails, CandleResult]:
        return await evaluate_symbol(self.market, symbol, timeframe, preset)

    async def analyse(
        self,
        symbol_text: str,
        timeframe: str | None = None,
        *,
        user: UserDTO | None = None,
        preset: str | None = None,
        origin: str = "request",
    ) -> SignalView:
        """The current analysis of one symbol (NEUTRAL included), stored and sized."""
        preset = preset or (user.preset if user else "composite")
        symbol, tf = await self.resolve(symbol_text, timeframe, preset)
        details, result = await self.evaluate(symbol, tf, preset)
        extra = [{"code": "stale_data", "params": {}}] if result.stale else []
        record = store.build_record(
            details,
            symbol=symbol,
            timeframe=tf,
            origin=origin,
            requested_by=user.id if user else None,
            trade_mode=LIVE,
            source=result.source,
            simulated=result.simulated,
            now_ms=self.market.clock.now_ms(),
            expiry_bars=self.settings.signal_expiry_bars,
            rejections=extra,
        )
        signal = await store.save_once(self.db, record)
        view = await self.view(signal, user)
        if user is not None:
            size = size_json(view.size)
            async with self.db.session() as session:
                if signal.requested_by == user.id and size is not None:
                    await store.set_requester_size(session, signal.id, size)
                await store.add_viewer(session, signal, user.id, size, self.wall_ms())
        return replace(view, stale=result.stale, age_s=result.age_s)

    async def view(self, signal: SignalDTO, user: UserDTO | None) -> SignalView:
        """A stored signal as `user` sees it: their size, or why there is none."""
        if user is None:
            return SignalView(signal, None, "not_issued", None, False, None)
        blocked = await self._gate.blocked(user.id) if signal.issued else None
        deposit = await user_deposit(user, self.accounts)
        info = (await self.market.markets()).get(signal.symbol)
        size, note = size_for(
            signal,
            user,
            deposit,
            blocked=blocked,
            min_notional=info.min_notional if info else None,
            qty_step=step_from_precision(info.amount_precision) if info else None,
        )
        return SignalView(signal, size, note, blocked, False, None)

    async def deposit_of(self, user: UserDTO) -> Any:
        return await user_deposit(user, self.accounts)

    async def get(self, signal_id: int) -> SignalDTO | None:
        async with self.db.session() as session:
            return await store.get(session, signal_id)

    async def for_user(self, signal_id: int, user_id: int) -> SignalDTO:
        """The signal if it was shown to this user (buttons carry only the id, so a
        forwarded or guessed id must not work for someone else): SignalNotFound."""
        async with self.db.session() as session:
            signal = await store.get(session, signal_id)
            if signal is None or not await store.is_audience(session, signal, user_id):
                raise SignalNotFound()
        return signal

    async def current_for_symbol(self, symbol: str) -> SignalDTO | None:
        """The newest open issued signal for the symbol (paper trading reads its levels)."""
        async with self.db.session() as session:
            return await store.newest_open_for_symbol(session, symbol)

    async def require(self, signal_id: int) -> SignalDTO:
        signal = await self.get(signal_id)
        if signal is None:
            raise SignalNotFound()
        return signal

    # -- explanation and chart --------------------------------------------------------

    async def explain(self, signal_id: int, lang: str) -> Explanation:
        """Claude's rationale (cached per signal and language) or, when the AI is not
        configured or fails, the deterministic one. Never raises for AI trouble."""
        signal = await self.require(signal_id)
        async with self.db.session() as session:
            cached = await store.cached_explanation(session, signal_id, lang)
        if cached is not None:
            return Explanation(cached.text, "ai", cached=True, model=cached.model)
        i18n = self.catalog.translator(lang)
        try:
            ai = await self.explainer.explain(explain_facts(signal, i18n), lang)
        except ExplainerUnavailable as exc:
            if exc.reason != "no_key":
                log.info("explain %s falls back: %s", signal_id, exc.reason)
            return Explanation(fallback_explanation(signal, i18n), "fallback", cached=False)
        try:
            async with self.db.session() as session:
                now = self.market.clock.now_ms()
                await store.cache_explanation(session, signal_id, lang, ai.text, ai.model, now)
        except IntegrityError:
            pass  # a concurrent press cached it first; this text is as good
        return Explanation(ai.text, "ai", cached=False, model=ai.model)

    async def chart(self, signal_id: int, lang: str) -> bytes:
        """PNG of the signal's market up to now, with its levels."""
        signal = await self.require(signal_id)
        result = await self.market.ohlcv(signal.symbol, signal.timeframe, limit=CHART_BARS)
        if result.frame.empty:
            raise NoData(symbol=signal.symbol, timeframe=signal.timeframe)
        i18n = self.catalog.translator(lang)
        levels = None
        if signal.issued:
            levels = ChartLevels(
                *(float(v) if v is not None else None for v in _levels(signal))  # type: ignore[arg-type]
            )
        title = i18n(
            "signal-chart-title",
            symbol=signal.symbol,
            timeframe=signal.timeframe,
            direction=i18n(f"signal-direction-{signal.direction.lower()}"),
            confidence=f"{signal.confidence:.0f}",
        )
        footnote = i18n("signal-chart-simulated") if result.simulated else None
        return await asyncio.to_thread(
            render_signal_chart,
            result.frame,
            timeframe_ms=timeframe_ms(signal.timeframe),
            title=title,
            levels=levels,
            level_labels=chart_labels(i18n),
            footnote=footnote,
        )

    def chart_caption(self, signal: SignalDTO, i18n: Translator) -> str:
        return i18n(
            "signal-chart-caption",
            symbol=signal.symbol,
            timeframe=signal.timeframe,
            time=fmt_time(signal.candle_close_ms),
        )

    # -- outcomes and stats -----------------------------------------------------------

    async def monitor(self) -> MonitorReport:
        """Follow every open signal on the candles closed since it was issued."""
        now = self.market.clock.now_ms()
        async with self.db.session() as session:
            open_signals = await store.open_signals(session)
        updated = closed = 0
        for signal in open_signals:
            tf_ms = timeframe_ms(signal.timeframe)
            try:
                result = await self.market.ohlcv(
                    signal.symbol,
                    signal.timeframe,
                    since=signal.bar_time + tf_ms,
                    limit=self.settings.signal_expiry_bars + 2,
                )
            except Exception as exc:  # one bad symbol must not stop the others
                log.warning("monitor: no candles for %s: %s", signal.symbol, exc)
                continue
            outcome = follow_signal(
                side=signal.side,
                entry=float(signal.entry),  # type: ignore[arg-type]
                stop=float(signal.stop),  # type: ignore[arg-type]
                tps=tuple(float(v) for v in _levels(signal)[2:]),  # type: ignore[arg-type]
                bar_time=signal.bar_time,
                expires_ms=signal.expires_ms,
                candles=result.frame,
                now_ms=now,
                timeframe_ms=tf_ms,
            )
            if (outcome.status, outcome.checked_ms) == (signal.status, signal.checked_ms):
                continue
            async with self.db.session() as session:
                await store.apply_outcome(session, signal.id, outcome)
            updated += 1
            closed += not outcome.is_open
        return MonitorReport(followed=len(open_signals), updated=updated, closed=closed)

    async def signal_stats(
        self,
        user_id: int | None = None,
        trade_mode: str | None = None,
        preset: str | None = None,
    ) -> list[SignalStatsRow]:
        """Counts and hit rates per trade mode and preset; `user_id` limits them to
        signals the user asked for or was sent, None gives the global figures."""
        async with self.db.session() as session:
            return await store.stats(session, user_id=user_id, trade_mode=trade_mode, preset=preset)


def _levels(signal: SignalDTO) -> tuple[Any, ...]:
    return (signal.entry, signal.stop, signal.tp1, signal.tp2, signal.tp3)
