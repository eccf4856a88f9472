"""The candle cache in the database: bulk insert, range reads, per-series coverage.

SQLite gets a driver-level `executemany` of plain tuples (the fastest path through
aiosqlite: no per-row dict or type processing); PostgreSQL gets SQLAlchemy's
`INSERT ... ON CONFLICT DO NOTHING` in chunks. Both skip rows already present, so
imports and fetches are idempotent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from core.market.frame import COLUMNS, empty_frame, frame_from_arrays
from core.market.quality import Gap
from core.market.timeframes import timeframe_ms
from services.db.engine import Database
from services.db.models.market import Candle, CandleSeries
from services.db.types import utcnow

CHUNK_ROWS = 25_000
_BOUNDS_SQL = "SELECT COUNT(*), MIN(ts), MAX(ts) FROM candles WHERE series_id = :sid"
_GAPS_SQL = (
    "SELECT prev + :step, (ts - prev) / :step - 1 FROM ("
    " SELECT ts, LAG(ts) OVER (ORDER BY ts) AS prev FROM candles WHERE series_id = :sid"
    ") AS steps WHERE ts - prev > :step ORDER BY ts"
)
_PG_KEYS = ("series_id", "ts", "open", "high", "low", "close", "volume")
_SQLITE_INSERT = (
    "INSERT INTO candles (series_id, ts, open, high, low, close, volume) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
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


def _info(row: CandleSeries) -> SeriesInfo:
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
        async with self.db.engine.begin() as conn:
            sid = await self._series_id(conn, exchange, symbol, timeframe, create=True)
            assert sid is not None
            before = await self._rows(conn, sid)
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
                        repeat(sid), ts[lo:hi].tolist(), *(c[lo:hi].tolist() for c in cols[1:])
                    )
                    await driver.executemany(_SQLITE_INSERT, rows)
                else:
                    others = [c[lo:hi].tolist() for c in cols[1:]]
                    values = [
                        dict(zip(_PG_KEYS, (sid, *row), strict=True))
                        for row in zip(ts[lo:hi].tolist(), *others, strict=True)
                    ]
                    await conn.execute(pg_insert(Candle).on_conflict_do_nothing(), values)
                if progress is not None:
                    progress(hi - lo)
            after = await self._refresh(conn, sid, checked_from=checked_from)
            return after - before

    async def _fetch(
        self, conn: AsyncConnection, sql: str, params: dict[str, int]
    ) -> list[tuple[Any, ...]]:
        """Plain tuples: numpy reads them directly (SQLAlchemy Row objects make
        `np.array` probe every element for array attributes, ~50x slower)."""
        if self._sqlite:
            driver = (await conn.get_raw_connection()).driver_connection
            cursor = await driver.execute(sql, params)  # sqlite3 takes :named params
            try:
                return list(await cursor.fetchall())
            finally:
                await cursor.close()
        return [tuple(r) for r in (await conn.execute(text(sql), params)).all()]

    async def _rows(self, conn: AsyncConnection, sid: int) -> int:
        row = await conn.execute(select(CandleSeries.rows).where(CandleSeries.id == sid))
        return int(row.scalar_one() or 0)

    async def _refresh(self, conn: AsyncConnection, sid: int, *, checked_from: int | None) -> int:
        """Recompute the series' bounds, size and gaps inside the database (window
        function over the clustered key), so no candle crosses into Python."""
        series = (
            await conn.execute(
                select(CandleSeries.timeframe, CandleSeries.checked_from).where(
                    CandleSeries.id == sid
                )
            )
        ).one()
        step = timeframe_ms(series.timeframe)
        params = {"sid": sid, "step": step}
        (count, first, last), *_ = await self._fetch(conn, _BOUNDS_SQL, params) or [(0, None, None)]
        gap_rows = await self._fetch(conn, _GAPS_SQL, params)
        gaps = [Gap(int(start), int(missing)) for start, missing in gap_rows]
        values: dict[str, object] = {
            "rows": int(count or 0),
            "first_ts": None if first is None else int(first),
            "last_ts": None if last is None else int(last),
            "missing": sum(g.missing for g in gaps),
            "gaps_json": json.dumps([[g.start_ts, g.missing] for g in gaps]),
            "updated_at": utcnow(),
        }
        if checked_from is not None:
            earlier = series.checked_from
            values["checked_from"] = checked_from if earlier is None else min(earlier, checked_from)
        await conn.execute(
            CandleSeries.__table__.update().where(CandleSeries.id == sid).values(**values)
        )
        return int(count or 0)

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

    async def info(self, exchange: str, symbol: str, timeframe: str) -> SeriesInfo | None:
        async with self.db.sessions() as session:
            row = await session.scalar(
                select(CandleSeries).where(
                    (CandleSeries.exchange == exchange)
                    & (CandleSeries.symbol == symbol)
                    & (CandleSeries.timeframe == timeframe)
                )
            )
            return None if row is None else _info(row)

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

    async def mark_checked(
        self, exchange: str, symbol: str, timeframe: str, checked_from: int
    ) -> None:
        """Remember that the exchange has nothing before `checked_from` for this series."""
        async with self.db.engine.begin() as conn:
            sid = await self._series_id(conn, exchange, symbol, timeframe, create=True)
            assert sid is not None
            await self._refresh(conn, sid, checked_from=checked_from)

    async def drop(self, exchange: str, symbol: str, timeframe: str) -> None:
        async with self.db.engine.begin() as conn:
            sid = await self._series_id(conn, exchange, symbol, timeframe, create=False)
            if sid is None:
                return
            await conn.execute(delete(Candle).where(Candle.series_id == sid))
            await conn.execute(delete(CandleSeries).where(CandleSeries.id == sid))
            self._ids.pop((exchange, symbol, timeframe), None)
