"""Scheduled scans: evaluate the universe after each base candle closes and push
issued signals to subscribers through the send queue.

Filters, in order: tradable universe, fresh data (never on stale candles), the
engine's own (anomaly, false breakout, R:R, confidence), the cooldown (one signal
per symbol and direction per preset cooldown, 4 h by default), then per user:
notification mode (all / strong >= 70 / off), minimum confidence, preset and the
risk gate. Each delivery is recorded with its candle-close-to-delivery latency.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from core.market.timeframes import timeframe_ms
from core.strategies.cooldown import cooldown_allows
from core.strategies.engine import config_for
from services.notify import Priority, SendResult
from services.signals import store
from services.signals.dto import ScanReport, SignalDTO
from services.signals.format import render_signal
from services.signals.pool import evaluate_in_pool
from services.signals.service import HISTORY_BARS, LIVE
from services.signals.sizing import size_json

if TYPE_CHECKING:
    from services.signals.service import SignalService
    from services.users import UserDTO

log = logging.getLogger(__name__)

STRONG_CONFIDENCE = 70.0


def wants(user: UserDTO, signal: SignalDTO) -> bool:
    """Whether a subscriber's settings ask for this signal."""
    if user.is_blocked or user.notify_mode == "off" or user.preset != signal.preset:
        return False
    if user.notify_mode == "strong" and signal.confidence < STRONG_CONFIDENCE:
        return False
    return signal.confidence >= user.min_confidence


async def scan(
    service: SignalService,
    *,
    presets: Iterable[str] | None = None,
    symbols: Iterable[str] | None = None,
    force: bool = False,
    trade_mode: str = LIVE,
) -> ScanReport:
    """One scan pass. A preset is scanned once per closed base candle unless `force`.
    Signals are tagged `trade_mode`: live for the scheduled scan, backfill only when
    the backfill path replays history."""
    market = service.market
    now = market.clock.now_ms()
    wall_at_start = service.wall_ms()
    subscribers = [u for u in await service.users.list_users() if u.notify_mode != "off"]
    chosen = list(presets) if presets is not None else sorted({u.preset for u in subscribers})
    universe = list(symbols) if symbols is not None else await _symbols(service)
    skipped: Counter[str] = Counter()
    issued: list[int] = []
    deliveries = 0
    evaluated = 0
    for preset in chosen or ["composite"]:
        config = config_for(preset)
        tf_ms = timeframe_ms(config.timeframe)
        last_close = now // tf_ms * tf_ms
        if not force and service.scanned.get(preset, -1) >= last_close:
            continue
        service.scanned[preset] = last_close
        for symbol in universe:
            try:
                result = await market.ohlcv(symbol, config.timeframe, limit=HISTORY_BARS)
            except Exception as exc:  # one symbol's outage must not stop the scan
                log.warning("scan: %s %s unavailable: %s", symbol, config.timeframe, exc)
                skipped["error"] += 1
                continue
            if result.stale:
                skipped["stale"] += 1
                continue
            if result.frame.empty or int(result.frame["timestamp"].iloc[-1]) + tf_ms < last_close:
                skipped["no_new_candle"] += 1
                continue
            evaluated += 1
            details = await evaluate_in_pool(
                result.frame, config, service.settings.signal_scan_workers
            )
            if not details.issued:
                skipped[details.rejections[0].code if details.rejections else "neutral"] += 1
                continue
            mode = trade_mode
            record = store.build_record(
                details,
                symbol=symbol,
                timeframe=config.timeframe,
                origin="scan",
                requested_by=None,
                trade_mode=mode,
                source=result.source,
                simulated=result.simulated,
                now_ms=now,
                expiry_bars=service.settings.signal_expiry_bars,
            )
            async with service.db.session() as session:
                last = await store.last_issued_ms(session, symbol, record.direction, mode)
            if not cooldown_allows(last, details.bar_time, config.cooldown_ms):
                skipped["cooldown"] += 1
                continue
            signal = await store.save_once(service.db, record)
            async with service.db.session() as session:
                await store.mark_issued(session, signal)
            issued.append(signal.id)
            # Candle close in wall-clock terms: now minus how long ago (market time) it closed.
            origin_wall_ms = wall_at_start - (now - signal.candle_close_ms)
            deliveries += await deliver(service, signal, subscribers, origin_wall_ms)
    return ScanReport(evaluated, issued, dict(skipped), deliveries)


async def _symbols(service: SignalService) -> list[str]:
    configured = service.settings.signal_symbols
    return list(configured) if configured else await service.tradable()


async def deliver(
    service: SignalService,
    signal: SignalDTO,
    subscribers: Iterable[UserDTO],
    origin_wall_ms: int,
) -> int:
    """Queue the signal for every subscriber who wants it; returns how many were queued."""
    sender = service.sender
    if sender is None:
        log.warning("signal %s issued but no sender is configured", signal.id)
        return 0
    queued = 0
    for user in subscribers:
        if not wants(user, signal):
            continue
        view = await service.view(signal, user)
        if view.blocked is not None:
            continue
        async with service.db.session() as session:
            delivery_id = await store.claim_delivery(session, signal, user.id, size_json(view.size))
        if delivery_id is None:
            continue
        i18n = service.catalog.translator(user.language)
        text = render_signal(
            view,
            i18n,
            deposit=await service.deposit_of(user),
            risk_pct=user.risk_per_trade,
            pushed=True,
        )
        factory = service.markup_factory
        sender.enqueue(
            user.id,
            text,
            reply_markup=factory(signal, i18n) if factory else None,
            priority=Priority.NORMAL,
            origin_wall_ms=origin_wall_ms,
            tag=f"signal:{signal.id}",
            on_result=partial(_record, service, delivery_id),
        )
        queued += 1
    return queued


async def _record(service: SignalService, delivery_id: int, result: SendResult) -> None:
    async with service.db.session() as session:
        await store.finish_delivery(
            session,
            delivery_id,
            status=result.status,
            delivered_ms=result.sent_wall_ms,
            latency_ms=result.latency_ms,
            message_id=result.message_id,
            error=result.error,
        )
