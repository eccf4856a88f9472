"""Chat backtests: requests, the process-pool runner, progress/cancel, stored runs."""

from services.backtests.errors import BacktestError, BadRequest, QueueFull, RunNotFound, UserBusy
from services.backtests.service import BacktestService, RunWatcher
from services.backtests.store import BacktestStore, RunDTO

__all__ = [
    "BacktestError",
    "BacktestService",
    "BacktestStore",
    "BadRequest",
    "QueueFull",
    "RunDTO",
    "RunNotFound",
    "RunWatcher",
    "UserBusy",
]
