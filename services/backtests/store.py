"""Backtest runs in the database; callers get `RunDTO`s, never ORM rows."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from services.db.engine import Database
from services.db.models.backtests import FINAL_STATUSES, BacktestRun
from services.db.types import utcnow


@dataclass(frozen=True, slots=True)
class RunDTO:
    id: int
    user_id: int | None
    origin: str
    symbol: str
    timeframe: str
    strategy: str
    params: dict[str, Any]
    config: dict[str, Any]
    period_days: int | None
    start_ms: int | None
    end_ms: int | None
    bars: int | None
    source: str | None
    simulated: bool
    status: str
    error: str | None
    metrics: dict[str, Any] | None
    initial_cash: Decimal
    final_equity: Decimal | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATUSES

    @classmethod
    def from_row(cls, row: BacktestRun) -> RunDTO:
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


class BacktestStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, **values: Any) -> RunDTO:
        async with self.db.session() as session:
            row = BacktestRun(status="queued", **values)
            session.add(row)
            await session.flush()
            dto = RunDTO.from_row(row)
        return dto

    async def _set(self, run_id: int, only_open: bool = True, **values: Any) -> RunDTO:
        async with self.db.session() as session:
            stmt = update(BacktestRun).where(BacktestRun.id == run_id)
            if only_open:  # a final status is never overwritten
                stmt = stmt.where(BacktestRun.status.not_in(FINAL_STATUSES))
            await session.execute(stmt.values(**values))
            row = await session.get(BacktestRun, run_id, populate_existing=True)
            assert row is not None
            return RunDTO.from_row(row)

    async def mark_running(self, run_id: int) -> RunDTO:
        return await self._set(run_id, status="running", started_at=utcnow())

    async def finish(
        self,
        run_id: int,
        *,
        metrics: dict[str, Any],
        final_equity: float,
        bars: int,
        start_ms: int,
        end_ms: int,
        params: dict[str, Any],
        chart_png: bytes,
        trades_csv_gz: bytes,
    ) -> RunDTO:
        return await self._set(
            run_id,
            status="done",
            finished_at=utcnow(),
            metrics=metrics,
            final_equity=Decimal(str(round(final_equity, 10))),
            bars=bars,
            start_ms=start_ms,
            end_ms=end_ms,
            params=params,
            chart_png=chart_png,
            trades_csv_gz=trades_csv_gz,
        )

    async def fail(self, run_id: int, status: str, error: str | None = None) -> RunDTO:
        """End a run as ``failed`` or ``cancelled`` (``error`` is a short reason code)."""
        return await self._set(run_id, status=status, error=error, finished_at=utcnow())

    async def get(self, run_id: int, user_id: int | None = None) -> RunDTO | None:
        async with self.db.session() as session:
            row = await session.get(BacktestRun, run_id)
            if row is None or (user_id is not None and row.user_id != user_id):
                return None
            return RunDTO.from_row(row)

    async def list_for_user(self, user_id: int, limit: int = 10) -> list[RunDTO]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(BacktestRun)
                .where(BacktestRun.user_id == user_id)
                .order_by(BacktestRun.id.desc())
                .limit(limit)
            )
            return [RunDTO.from_row(r) for r in rows]

    async def artifact(self, run_id: int, user_id: int, name: str) -> bytes | None:
        """``chart`` (PNG) or ``trades`` (CSV text as bytes) of the user's own run."""
        column = {"chart": BacktestRun.chart_png, "trades": BacktestRun.trades_csv_gz}[name]
        async with self.db.session() as session:
            data = await session.scalar(
                select(column).where(BacktestRun.id == run_id, BacktestRun.user_id == user_id)
            )
        if data is None:
            return None
        return gzip.decompress(data) if name == "trades" else data

    async def abandon_open(self, older_than_s: float) -> int:
        """At start-up: runs left open by a stopped process, past any run's time limit
        (so other instances' live runs are left alone), are marked failed."""
        cutoff = utcnow() - timedelta(seconds=older_than_s)
        async with self.db.session() as session:
            result = await session.execute(
                update(BacktestRun)
                .where(BacktestRun.status.not_in(FINAL_STATUSES), BacktestRun.created_at < cutoff)
                .values(status="failed", error="restart", finished_at=utcnow())
            )
            return int(result.rowcount or 0)
