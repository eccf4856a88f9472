"""Chat backtests: check a request, fetch candles, run it in the pool, watch it, store it.

`submit` does everything that can refuse (parse, one run per user, queue capacity,
symbol, period, data) before a run row exists, so bad input changes nothing. An
accepted run is watched by an asyncio task that polls the worker's progress slot
every `backtest_progress_interval_s` and tells the caller's `RunWatcher` (the
handler, which edits the chat message); the chat never waits for the computation.
Runs are stored with their parameters, status and metrics (`backtest_runs`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from core.backtest import BacktestConfig
from core.market.symbols import UnknownSymbol
from core.market.timeframes import timeframe_ms
from services.backtests.errors import BacktestError, BadRequest, RunNotFound
from services.backtests.request import ChatArgs, day_text, parse_args, resolve_window
from services.backtests.runner import BacktestRunner, Reservation
from services.backtests.store import BacktestStore, RunDTO
from services.backtests.worker import Cancelled, JobInput, JobOutput
from services.market.base import MarketDataError

log = logging.getLogger(__name__)

MIN_BARS = 20  # fewer candles in the period than this is "no data"


class RunWatcher(Protocol):
    async def progress(self, run: RunDTO, fraction: float, phase: str) -> None: ...
    async def finished(self, run: RunDTO) -> None: ...


@dataclass(frozen=True, slots=True)
class Accepted:
    run: RunDTO
    reservation: Reservation


class BacktestService:
    def __init__(
        self,
        *,
        settings: Any,
        store: BacktestStore,
        market: Any,
        catalog: Any,
        runner: BacktestRunner,
    ) -> None:
        self.settings = settings
        self.store = store
        self.market = market
        self.catalog = catalog
        self.runner = runner
        self._tasks: set[asyncio.Task[None]] = set()

    # --- submitting -------------------------------------------------------------------
    async def submit(
        self, user_id: int, args_text: str | None, lang: str, watcher: RunWatcher
    ) -> RunDTO:
        """Accept a run or raise a `BacktestError` (nothing is stored on refusal)."""
        args = parse_args(args_text, default_timeframe="1h", default_strategy="composite")
        reservation = self.runner.reserve(user_id)
        try:
            run, job = await self._prepare(user_id, args, lang, reservation.slot)
        except BaseException:
            self.runner.release(reservation)
            raise
        reservation.run_id = run.id
        try:
            future = self.runner.submit(reservation, job)
        except Exception:  # the pool could not start: say so, keep nothing open
            log.exception("backtest %s could not be started", run.id)
            self.runner.release(reservation)
            await self.store.fail(run.id, "failed", "error")
            raise BacktestError() from None
        task = asyncio.create_task(self._watch(run, reservation, future, watcher))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        log.info("backtest %s accepted: %s %s %s", run.id, run.symbol, run.timeframe, run.strategy)
        return run

    async def _prepare(
        self, user_id: int, args: ChatArgs, lang: str, slot: int
    ) -> tuple[RunDTO, JobInput]:
        s = self.settings
        try:
            symbol = await self.market.normalize(args.symbol)
        except UnknownSymbol as exc:
            raise BadRequest(
                "backtest-unknown-symbol" if exc.suggestions else "backtest-unknown-symbol-none",
                symbol=args.symbol,
                suggestions=", ".join(exc.suggestions),
            ) from None
        except MarketDataError as exc:
            log.warning("backtest markets for %r: %s", args.symbol, exc)
            raise BadRequest("backtest-data-unavailable", symbol=args.symbol) from None
        # A relative period ("90d") ends at the newest candle the data has for this
        # symbol and timeframe (in replay that can be well before the clock).
        now = self.market.clock.now_ms()
        data_end = getattr(self.market, "data_end", None)
        if args.start_ms is None and data_end is not None:
            try:
                now = min(now, await data_end(symbol, args.timeframe))
            except MarketDataError as exc:
                log.warning("backtest data end for %s: %s", symbol, exc)
        start, end, days = resolve_window(
            args,
            now,
            default_days=s.backtest_default_days,
            max_days=s.backtest_max_days,
            max_bars=s.backtest_max_bars,
        )
        step = timeframe_ms(args.timeframe)
        try:
            candles = await self.market.ohlcv(
                symbol, args.timeframe, since=start - s.backtest_warmup_bars * step, until=end
            )
        except MarketDataError as exc:
            log.warning("backtest candles for %s %s: %s", symbol, args.timeframe, exc)
            raise BadRequest("backtest-data-unavailable", symbol=symbol) from None
        frame = candles.frame
        in_period = int((frame["timestamp"] >= start).sum()) if len(frame) else 0
        if in_period < MIN_BARS:
            raise BadRequest(
                "backtest-no-data",
                symbol=symbol,
                timeframe=args.timeframe,
                start=day_text(start),
                end=day_text(end),
            )
        config = BacktestConfig(
            initial_cash=float(s.backtest_initial_cash),
            fee_rate=s.backtest_fee_rate,
            start=start,
            end=end,
        )
        run = await self.store.create(
            user_id=user_id,
            origin="chat",
            symbol=symbol,
            timeframe=args.timeframe,
            strategy=args.strategy,
            params={},
            config=config.to_dict(),
            period_days=days,
            start_ms=start,
            end_ms=end,
            source=candles.source,
            simulated=bool(candles.simulated),
            initial_cash=Decimal(s.backtest_initial_cash),
        )
        tr = self.catalog.translator(lang)
        labels = {
            "title": tr(
                "backtest-chart-title",
                id=run.id,
                strategy=args.strategy,
                symbol=symbol,
                timeframe=args.timeframe,
            ),
            "equity": tr("backtest-chart-equity"),
            "hold": tr("backtest-chart-hold"),
            "drawdown": tr("backtest-chart-drawdown"),
            "simulated": tr("backtest-chart-simulated") if candles.simulated else "",
        }
        job = JobInput(slot, frame, args.strategy, {}, config, labels)
        return run, job

    # --- watching ---------------------------------------------------------------------
    async def _watch(
        self,
        run: RunDTO,
        res: Reservation,
        future: asyncio.Future[JobOutput],
        watcher: RunWatcher,
    ) -> None:
        interval = self.settings.backtest_progress_interval_s
        deadline = time.monotonic() + self.settings.backtest_timeout_s
        shown: tuple[float, str] | None = None
        timed_out = False
        while not future.done():
            await asyncio.wait({future}, timeout=interval)
            if future.done():
                break
            if time.monotonic() > deadline and not timed_out:
                timed_out = True
                self.runner.cancel(res)
            fraction, phase = self.runner.progress(res)
            if phase != "queued" and run.status == "queued":
                run = await self.store.mark_running(run.id)
            if (fraction, phase) != shown and not run.final:
                shown = (fraction, phase)
                await _safely(watcher.progress(run, fraction, phase))
        run = await self._record(run, future, timed_out)
        await _safely(watcher.finished(run))

    async def _record(
        self, run: RunDTO, future: asyncio.Future[JobOutput], timed_out: bool
    ) -> RunDTO:
        try:
            out = future.result()
        except (asyncio.CancelledError, Cancelled):
            if timed_out:
                return await self.store.fail(run.id, "failed", "timeout")
            return await self.store.fail(run.id, "cancelled")
        except (ValueError, TypeError) as exc:  # the preset refused the data or parameters
            log.warning("backtest %s refused: %s", run.id, exc)
            return await self.store.fail(run.id, "failed", "input")
        except Exception:
            log.exception("backtest %s failed", run.id)
            return await self.store.fail(run.id, "failed", "error")
        if run.status == "queued":
            await self.store.mark_running(run.id)
        return await self.store.finish(
            run.id,
            metrics=out.metrics,
            final_equity=out.final_equity,
            bars=out.bars,
            start_ms=out.start_ms,
            end_ms=out.end_ms,
            params=out.params,
            chart_png=out.chart_png,
            trades_csv_gz=out.trades_csv_gz,
        )

    # --- controls and queries ---------------------------------------------------------
    async def cancel(self, run_id: int, user_id: int) -> bool:
        """Stop the user's own running run; False if it is not theirs or already over."""
        res = self.runner.running_for(user_id)
        if res is None or res.run_id != run_id:
            return False
        self.runner.cancel(res)
        return True

    async def list_runs(self, user_id: int, limit: int = 10) -> list[RunDTO]:
        return await self.store.list_for_user(user_id, limit)

    async def get(self, run_id: int, user_id: int) -> RunDTO:
        run = await self.store.get(run_id, user_id)
        if run is None:
            raise RunNotFound(id=run_id)
        return run

    async def artifact(self, run_id: int, user_id: int, name: str) -> bytes:
        data = await self.store.artifact(run_id, user_id, name)
        if data is None:
            raise RunNotFound(id=run_id)
        return data

    async def recover(self) -> int:
        """At start-up (after migrations): close runs a stopped process left open."""
        return await self.store.abandon_open(2 * self.settings.backtest_timeout_s)

    def is_idle(self) -> bool:
        return not self._tasks

    async def aclose(self) -> None:
        """Stop watching (the watchers are awaited, so none outlives the service), then
        stop the runs; a run left open is closed by `recover` at the next start."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.runner.aclose()


async def _safely(call: Awaitable[None]) -> None:
    """A chat that cannot be edited (deleted message, blocked bot) must not stop the run."""
    try:
        await call
    except Exception:
        log.warning("backtest watcher failed", exc_info=True)
