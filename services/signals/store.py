"""Database access for signals: records, cooldowns, deliveries, explanation cache.

Kept apart from the service so the orchestration reads as steps and every query
that touches the signal tables lives in one place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.strategies.base import SignalDetails
from services.db.engine import Database
from services.db.models.signals import (
    OPEN_STATUSES,
    SignalCooldown,
    SignalDelivery,
    SignalExplanation,
    SignalRecord,
)
from services.signals.dto import SignalDTO, SignalStatsRow
from services.signals.outcome import Outcome


def json_safe(value: Any) -> Any:
    """NaN/inf become None (JSON columns must hold valid JSON on every backend)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return json_safe(value.item())
    return value


def _price(value: float | None) -> Decimal | None:
    if value is None or not math.isfinite(value):
        return None
    return Decimal(str(value))


def build_record(
    details: SignalDetails,
    *,
    symbol: str,
    timeframe: str,
    origin: str,
    requested_by: int | None,
    trade_mode: str,
    source: str,
    simulated: bool,
    now_ms: int,
    expiry_bars: int,
    rejections: Iterable[dict[str, Any]] = (),
    size: dict[str, Any] | None = None,
) -> SignalRecord:
    """A record from the engine's explanation of a bar; extra `rejections` (stale data,
    not tradable) turn an issued signal into NEUTRAL, keeping what the engine said."""
    data = details.as_dict()
    extra = [json_safe(r) for r in rejections]
    issued = details.issued and not extra
    levels = details.levels if issued else None
    close_ms = details.bar_time + details.timeframe_ms
    return SignalRecord(
        symbol=symbol,
        timeframe=timeframe,
        preset=details.preset,
        origin=origin,
        requested_by=requested_by,
        trade_mode=trade_mode,
        status="active" if issued else "neutral",
        direction=details.direction_name if issued else "NEUTRAL",
        candidate_direction=data["candidate_direction"],
        score=float(details.score),
        confidence=float(details.confidence),
        entry=_price(levels.entry) if levels else None,
        stop=_price(levels.stop) if levels else None,
        tp1=_price(levels.tp1) if levels else None,
        tp2=_price(levels.tp2) if levels else None,
        tp3=_price(levels.tp3) if levels else None,
        rr=float(levels.rr) if levels else None,
        size=size,
        components=json_safe(data["components"]),
        regime=details.regime,
        mtf=json_safe(data["mtf"]),
        mtf_confirmed=bool(details.mtf.confirmed),
        fbd_score=float(details.false_breakout.score),
        fbd=json_safe(data["false_breakout"]),
        snapshot=json_safe(data["snapshot"]),
        levels=json_safe(data["levels"]),
        rejections=[*extra, *json_safe(data["rejections"])],
        source=source,
        simulated=simulated,
        bar_time=details.bar_time,
        candle_close_ms=close_ms,
        created_ms=now_ms,
        expires_ms=close_ms + expiry_bars * details.timeframe_ms,
        checked_ms=details.bar_time,
        tp_hit=0,
        current_stop=_price(levels.stop) if levels else None,
    )


async def find_same_bar(session: AsyncSession, record: SignalRecord) -> SignalRecord | None:
    """The record already stored for this symbol, timeframe, preset, bar and mode."""
    query = select(SignalRecord).where(
        SignalRecord.symbol == record.symbol,
        SignalRecord.timeframe == record.timeframe,
        SignalRecord.preset == record.preset,
        SignalRecord.bar_time == record.bar_time,
        SignalRecord.trade_mode == record.trade_mode,
        SignalRecord.direction == record.direction,
    )
    return (await session.scalars(query.limit(1))).first()


async def save(session: AsyncSession, record: SignalRecord) -> SignalDTO:
    """Insert, or return the record of the same bar if one is stored (idempotent)."""
    existing = await find_same_bar(session, record)
    if existing is not None:
        return SignalDTO.from_row(existing)
    session.add(record)
    await session.flush()
    return SignalDTO.from_row(record)


async def save_once(db: Database, record: SignalRecord) -> SignalDTO:
    """`save` in its own transaction; when a concurrent request stored the same bar
    first (the unique key refuses ours), that record is returned."""
    try:
        async with db.session() as session:
            return await save(session, record)
    except IntegrityError:
        async with db.session() as session:
            existing = await find_same_bar(session, record)
        if existing is None:
            raise
        return SignalDTO.from_row(existing)


async def get(session: AsyncSession, signal_id: int) -> SignalDTO | None:
    row = await session.get(SignalRecord, signal_id)
    return SignalDTO.from_row(row) if row else None


async def open_signals(session: AsyncSession) -> list[SignalDTO]:
    query = select(SignalRecord).where(SignalRecord.status.in_(OPEN_STATUSES))
    return [SignalDTO.from_row(r) for r in (await session.scalars(query.order_by(SignalRecord.id)))]


async def apply_outcome(session: AsyncSession, signal_id: int, outcome: Outcome) -> None:
    await session.execute(
        update(SignalRecord)
        .where(SignalRecord.id == signal_id)
        .values(
            status=outcome.status,
            tp_hit=outcome.tp_hit,
            tp1_ms=outcome.tp_ms[0],
            tp2_ms=outcome.tp_ms[1],
            tp3_ms=outcome.tp_ms[2],
            sl_ms=outcome.sl_ms,
            closed_ms=outcome.closed_ms,
            outcome_r=outcome.r,
            current_stop=_price(outcome.current_stop),
            checked_ms=outcome.checked_ms,
        )
    )


# -- cooldown ---------------------------------------------------------------------------


async def last_issued_ms(
    session: AsyncSession, symbol: str, direction: str, trade_mode: str
) -> int | None:
    row = await session.get(SignalCooldown, (symbol, direction, trade_mode))
    return row.last_ms if row else None


async def mark_issued(session: AsyncSession, signal: SignalDTO) -> None:
    key = (signal.symbol, signal.direction, signal.trade_mode)
    row = await session.get(SignalCooldown, key)
    if row is None:
        session.add(
            SignalCooldown(
                symbol=signal.symbol,
                direction=signal.direction,
                trade_mode=signal.trade_mode,
                last_ms=signal.bar_time,
                signal_id=signal.id,
            )
        )
    elif signal.bar_time > row.last_ms:
        row.last_ms, row.signal_id = signal.bar_time, signal.id


# -- deliveries -------------------------------------------------------------------------


async def claim_delivery(
    session: AsyncSession, signal: SignalDTO, user_id: int, size: dict[str, Any] | None
) -> int | None:
    """A queued delivery row, or None when this user already got (or is getting) it."""
    query = select(SignalDelivery.id).where(
        SignalDelivery.signal_id == signal.id, SignalDelivery.user_id == user_id
    )
    if (await session.scalars(query)).first() is not None:
        return None
    row = SignalDelivery(
        signal_id=signal.id,
        user_id=user_id,
        status="queued",
        size=size,
        candle_close_ms=signal.candle_close_ms,
    )
    session.add(row)
    await session.flush()
    return row.id


async def finish_delivery(
    session: AsyncSession,
    delivery_id: int,
    *,
    status: str,
    delivered_ms: int | None,
    latency_ms: int | None,
    message_id: int | None,
    error: str | None,
) -> None:
    await session.execute(
        update(SignalDelivery)
        .where(SignalDelivery.id == delivery_id)
        .values(
            status=status,
            delivered_ms=delivered_ms,
            latency_ms=latency_ms,
            message_id=message_id,
            error=error,
        )
    )


async def add_viewer(
    session: AsyncSession,
    signal: SignalDTO,
    user_id: int,
    size: dict[str, Any] | None,
    now_wall_ms: int,
) -> None:
    """Record that `user_id` was shown the signal in a reply (not pushed): it counts
    in their stats and their buttons on it work. No-op if already recorded."""
    if signal.requested_by == user_id:
        return
    delivery_id = await claim_delivery(session, signal, user_id, size)
    if delivery_id is not None:
        await finish_delivery(
            session,
            delivery_id,
            status="sent",
            delivered_ms=now_wall_ms,
            latency_ms=None,
            message_id=None,
            error=None,
        )


async def set_requester_size(
    session: AsyncSession, signal_id: int, size: dict[str, Any] | None
) -> None:
    """Keep the requesting user's size suggestion on the record."""
    await session.execute(
        update(SignalRecord).where(SignalRecord.id == signal_id).values(size=size)
    )


async def is_audience(session: AsyncSession, signal: SignalDTO, user_id: int) -> bool:
    """Whether the signal was shown to `user_id` (asked for, replied or pushed)."""
    if signal.requested_by == user_id:
        return True
    query = select(SignalDelivery.id).where(
        SignalDelivery.signal_id == signal.id, SignalDelivery.user_id == user_id
    )
    return (await session.scalars(query)).first() is not None


async def newest_open_for_symbol(session: AsyncSession, symbol: str) -> SignalDTO | None:
    query = (
        select(SignalRecord)
        .where(SignalRecord.symbol == symbol, SignalRecord.status.in_(OPEN_STATUSES))
        .order_by(SignalRecord.created_ms.desc(), SignalRecord.id.desc())
        .limit(1)
    )
    row = (await session.scalars(query)).first()
    return SignalDTO.from_row(row) if row else None


# -- explanation cache ------------------------------------------------------------------


async def cached_explanation(
    session: AsyncSession, signal_id: int, lang: str
) -> SignalExplanation | None:
    query = select(SignalExplanation).where(
        SignalExplanation.signal_id == signal_id, SignalExplanation.lang == lang
    )
    return (await session.scalars(query)).first()


async def cache_explanation(
    session: AsyncSession, signal_id: int, lang: str, text: str, model: str, now_ms: int
) -> None:
    if await cached_explanation(session, signal_id, lang) is None:
        session.add(
            SignalExplanation(
                signal_id=signal_id, lang=lang, text=text, model=model, created_ms=now_ms
            )
        )


# -- stats ------------------------------------------------------------------------------


def _scoped(query: Select[Any], user_id: int | None) -> Select[Any]:
    if user_id is None:
        return query
    delivered = exists().where(
        and_(SignalDelivery.signal_id == SignalRecord.id, SignalDelivery.user_id == user_id)
    )
    return query.where(or_(SignalRecord.requested_by == user_id, delivered))


async def stats(
    session: AsyncSession,
    *,
    user_id: int | None,
    trade_mode: str | None,
    preset: str | None,
) -> list[SignalStatsRow]:
    closed = SignalRecord.closed_ms.is_not(None)

    query = select(
        SignalRecord.trade_mode,
        SignalRecord.preset,
        func.count(),
        func.count().filter(SignalRecord.status.in_(OPEN_STATUSES)),
        func.count().filter(closed),
        func.count().filter(closed, SignalRecord.tp_hit >= 1),
        func.count().filter(SignalRecord.status == "sl"),
        func.count().filter(SignalRecord.status == "expired"),
        func.avg(SignalRecord.outcome_r).filter(closed),
    ).where(SignalRecord.direction != "NEUTRAL")
    if trade_mode is not None:
        query = query.where(SignalRecord.trade_mode == trade_mode)
    if preset is not None:
        query = query.where(SignalRecord.preset == preset)
    query = _scoped(query, user_id).group_by(SignalRecord.trade_mode, SignalRecord.preset)
    rows = []
    for mode, name, issued, open_, n_closed, tp1, sl, expired, avg_r in (
        await session.execute(query.order_by(SignalRecord.trade_mode, SignalRecord.preset))
    ).all():
        rows.append(
            SignalStatsRow(
                trade_mode=mode,
                preset=name,
                issued=issued,
                open=open_,
                closed=n_closed,
                tp1_hits=tp1,
                sl_hits=sl,
                expired=expired,
                tp1_share=tp1 / n_closed if n_closed else None,
                sl_share=sl / n_closed if n_closed else None,
                avg_r=float(avg_r) if avg_r is not None else None,
            )
        )
    return rows
