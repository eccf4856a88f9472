"""The candle cache in the database: bulk insert, range reads, per-series coverage.

SQLite gets a driver-level `executemany` of plain tuples (the fastest path through
aiosqlite: no per-row dict or type processing); PostgreSQL gets SQLAlchemy's
`INSERT ... ON CONFLICT DO NOTHING` in chunks. Both skip rows already present, so
imports and fetches are idempotent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from core.market.frame import COLUMNS, empty_frame, frame_from_arrays
from core.market.quality import Gap, find_gaps
from core.market.timeframes import timeframe_ms
from services.db.engine import Database
from services.db.models.market import Candle, CandleSeries
from services.db.types import utcnow

CHUNK_ROWS = 50_000
_BOUNDS_SQL = "SELECT COUNT(*), MIN(ts), MAX(ts) FROM candles WHERE series_id = :sid"
_GAPS_SQL = (
    "SELECT prev + :step, (ts - prev) / :step - 1 FROM ("
    " SELECT ts, LAG(ts) OVER (ORDER BY ts) AS prev FROM candles WHERE series_id = :sid"
    ") AS steps WHERE ts - prev > :step ORDER BY ts"
)
_PG_KEYS = ("series_id", "ts", "open", "high", "low", "close", "volume")
# The series id is written into the statement (an int from our own table), so each
# row binds six values instead of seven.
_SQLITE_INSERT = (
    "INSERT INTO candles (series_id, ts, open, high, low, close, volume) "
    "VALUES ({sid:d}, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)


@dataclass(frozen=True, slots=True)
class SeriesInfo:
    exchange: str
    symbol: str
    timeframe: str
    first_ts: int | None
    last_ts: int | None
    rows: int
    gaps: tuple[Gap, ...]
    checked_from: int | None
    updated_at: datetime

    @property
    def missing(self) -> int:
        return sum(g.missing for g in self.gaps)

    @property
    def expected(self) -> int:
        if self.first_ts is None or self.last_ts is None:
            return 0
        return (self.last_ts - self.first_ts) // timeframe_ms(self.timeframe) + 1

    @property
    def completeness(self) -> float:
        return 1.0 if self.expected == 0 else self.rows / self.expected

    def is_stale(self, now_ms: int, stale_bars: int) -> bool:
        """True when the newest cached candle is more than `stale_bars` bars old."""
        if self.last_ts is None:
            return True
        step = timeframe_ms(self.timeframe)
        return now_ms - (self.last_ts + step) > stale_bars * step


def _appended(current: SeriesInfo, ts: np.ndarray) -> SeriesInfo:
    step = timeframe_ms(current.timeframe)
    gaps = list(current.gaps)
    if current.last_ts is not None and int(ts[0]) - current.last_ts > step:
        gaps.append(Gap(current.last_ts + step, (int(ts[0]) - current.last_ts) // step - 1))
    gaps.extend(find_gaps(ts, current.timeframe))
    return replace(
        current,
        rows=current.rows + len(ts),
        first_ts=current.first_ts if current.first_ts is not None else int(ts[0]),
        last_ts=int(ts[-1]),
        gaps=tuple(gaps),
    )


def _info(row: Any) -> SeriesInfo:
    gaps = tuple(Gap(int(g[0]), int(g[1])) for g in json.loads(row.gaps_json or "[]"))
    return SeriesInfo(
        exchange=row.exchange,
        symbol=row.symbol,
        timeframe=row.timeframe,
        first_ts=row.first_ts,
        last_ts=row.last_ts,
        rows=row.rows,
        gaps=gaps,
        checked_from=row.checked_from,
        updated_at=row.updated_at,
    )


class CandleStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._ids: dict[tuple[str, str, str], int] = {}
        self._infos: dict[tuple[str, str, str], SeriesInfo] = {}
        self._sqlite = db.engine.dialect.name == "sqlite"

    async def _series_id(
        self, conn: AsyncConnection, exchange: str, symbol: str, timeframe: str, *, create: bool
    ) -> int | None:
        key = (exchange, symbol, timeframe)
        if key in self._ids:
            return self._ids[key]
        where = (
            (CandleSeries.exchange == exchange)
            & (CandleSeries.symbol == symbol)
            & (CandleSeries.timeframe == timeframe)
        )
        sid = (await conn.execute(select(CandleSeries.id).where(where))).scalar()
        if sid is None and create:
            await conn.execute(
                CandleSeries.__table__.insert().values(
                    exchange=exchange, symbol=symbol, timeframe=timeframe, updated_at=utcnow()
                )
            )
            sid = (await conn.execute(select(CandleSeries.id).where(where))).scalar_one()
        if sid is not None:
            self._ids[key] = int(sid)
        return sid

    async def insert(
        self,
        exchange: str,
        symbol: str,
        timeframe: str,
        frame: pd.DataFrame,
        *,
        progress: Callable[[int], None] | None = None,
        checked_from: int | None = None,
    ) -> int:
        """Store closed candles (duplicates skipped); returns how many rows were new."""
        key = (exchange, symbol, timeframe)
        async with self.db.engine.begin() as conn:
            sid = await self._series_id(conn, exchange, symbol, timeframe, create=True)
            assert sid is not None
            current = await self._read_info(conn, sid)
            n = len(frame)
            # The driver-level executemany skips SQLAlchemy, which would insist on
            # tuples and process every parameter.
            driver = (await conn.get_raw_connection()).driver_connection if self._sqlite else None
            cols = [frame[c].to_numpy(np.float64) for c in COLUMNS]
            ts = frame["timestamp"].to_numpy(np.int64)
            for lo in range(0, n, CHUNK_ROWS):
                hi = min(n, lo + CHUNK_ROWS)
                if self._sqlite:
                    # sqlite3 consumes the zip lazily: no row list is materialized.
                    rows = zip(
                        ts[lo:hi].tolist(), *(c[lo:hi].tolist() for c in cols[1:]), strict=True
                    )
                    await driver.executemany(_SQLITE_INSERT.format(sid=int(sid)), rows)
                else:
                    others = [c[lo:hi].tolist() for c in cols[1:]]
                    values = [
                        dict(zip(_PG_KEYS, (sid, *row), strict=True))
                        for row in zip(ts[lo:hi].tolist(), *others, strict=True)
                    ]
                    await conn.execute(pg_insert(Candle).on_conflict_do_nothing(), values)
                if progress is not None:
                    progress(hi - lo)
            if n and (current.last_ts is None or int(ts[0]) > current.last_ts):
                # A pure append (the usual import or tail fetch): every row is new and
                # the coverage follows from the frame, no scan needed.
                info = _appended(current, ts)
            else:
                info = await self._scan(conn, sid, current)
            if checked_from is not None:
                earlier = current.checked_from
                info = replace(
                    info,
                    checked_from=checked_from if earlier is None else min(earlier, checked_from),
                )
            await self._write_info(conn, sid, info)
        self._infos[key] = info
        return info.rows - current.rows

    async def _fetch(
        self, conn: AsyncConnection, sql: str, params: dict[str, int]
    ) -> list[tuple[Any, ...]]:
        """Plain tuples: numpy reads them directly (SQLAlchemy Row objects make
        `np.array` probe every element for array attributes, ~50x slower)."""
        if self._sqlite:
            driver = (await conn.get_raw_connection()).driver_connection
            # One trip to aiosqlite's thread; sqlite3 takes :named params as is.
            return list(await driver.execute_fetchall(sql, params))
        return [tuple(r) for r in (await conn.execute(text(sql), params)).all()]

    async def _read_info(self, conn: AsyncConnection, sid: int) -> SeriesInfo:
        row = (
            await conn.execute(select(CandleSeries.__table__).where(CandleSeries.id == sid))
        ).one()
        return _info(row)

    async def _scan(self, conn: AsyncConnection, sid: int, current: SeriesInfo) -> SeriesInfo:
        """Bounds, size and gaps recomputed inside the database (a window function
        over the clustered key), so no candle crosses into Python."""
        params = {"sid": sid, "step": timeframe_ms(current.timeframe)}
        (count, first, last), *_ = await self._fetch(conn, _BOUNDS_SQL, params)
        gap_rows = await self._fetch(conn, _GAPS_SQL, params)
        return replace(
            current,
            rows=int(count or 0),
            first_ts=None if first is None else int(first),
            last_ts=None if last is None else int(last),
            gaps=tuple(Gap(int(start), int(missing)) for start, missing in gap_rows),
        )

    async def _write_info(self, conn: AsyncConnection, sid: int, info: SeriesInfo) -> None:
        await conn.execute(
            CandleSeries.__table__.update()
            .where(CandleSeries.id == sid)
            .values(
                rows=info.rows,
                first_ts=info.first_ts,
                last_ts=info.last_ts,
                missing=info.missing,
                gaps_json=json.dumps([[g.start_ts, g.missing] for g in info.gaps]),
                checked_from=info.checked_from,
                updated_at=utcnow(),
            )
        )

    async def load(
        self,
        exchange: str,
        symbol: str,
        timeframe: str,
        *,
        since: int | None = None,
        until: int | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Cached candles in [since, until]; `limit` keeps the newest N (or the first N
        after `since` when only `since` is given)."""
        async with self.db.engine.connect() as conn:
            sid = await self._series_id(conn, exchange, symbol, timeframe, create=False)
            if sid is None:
                return empty_frame()
            clauses = ["series_id = :sid"]
            params: dict[str, int] = {"sid": sid}
            if since is not None:
                clauses.append("ts >= :since")
                params["since"] = int(since)
            if until is not None:
                clauses.append("ts <= :until")
                params["until"] = int(until)
            newest_first = limit is not None and since is None
            order = "DESC" if newest_first else "ASC"
            sql = (
                "SELECT ts, open, high, low, close, volume FROM candles WHERE "
                + " AND ".join(clauses)
                + f" ORDER BY ts {order}"
            )
            if limit is not None:
                sql += " LIMIT :limit"
                params["limit"] = int(limit)
            rows = await self._fetch(conn, sql, params)
        if not rows:
            return empty_frame()
        arr = np.array(rows, dtype=np.float64)
        if newest_first:
            arr = arr[::-1]
        return frame_from_arrays(arr[:, 0].astype(np.int64), *(arr[:, i] for i in range(1, 6)))

    async def info(
        self, exchange: str, symbol: str, timeframe: str, *, cached: bool = False
    ) -> SeriesInfo | None:
        """The series' coverage. `cached=True` may answer from this process's memory
        (kept current by its own inserts): another process adding rows meanwhile can
        only make a caller fetch something twice, never miss it."""
        key = (exchange, symbol, timeframe)
        if cached and key in self._infos:
            return self._infos[key]
        async with self.db.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(CandleSeries.__table__).where(
                        (CandleSeries.exchange == exchange)
                        & (CandleSeries.symbol == symbol)
                        & (CandleSeries.timeframe == timeframe)
                    )
                )
            ).one_or_none()
        info = None if row is None else _info(row)
        if info is not None:
            self._infos[key] = info
        return info

    async def all_series(
        self, *, exchange: str | None = None, symbol: str | None = None
    ) -> list[SeriesInfo]:
        query = select(CandleSeries).order_by(
            CandleSeries.exchange, CandleSeries.symbol, CandleSeries.timeframe
        )
        if exchange is not None:
            query = query.where(CandleSeries.exchange == exchange)
        if symbol is not None:
            query = query.where(CandleSeries.symbol == symbol)
        async with self.db.sessions() as session:
            return [_info(r) for r in (await session.scalars(query)).all()]
