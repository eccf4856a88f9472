"""`services/container.py` BUILDERS entry: ("backtests", this module's `build_backtests`)."""

from __future__ import annotations

from typing import Any

from services.backtests.runner import BacktestRunner
from services.backtests.service import BacktestService
from services.backtests.store import BacktestStore


def build_backtests(services: Any) -> BacktestService:
    if services.market is None:
        raise RuntimeError("backtests need market data: build 'market' first")
    settings = services.settings
    store = BacktestStore(services.db)
    runner = BacktestRunner(settings.backtest_workers, settings.backtest_queue, "spawn")
    return BacktestService(
        settings=settings,
        store=store,
        market=services.market,
        catalog=services.i18n,
        runner=runner,
    )
