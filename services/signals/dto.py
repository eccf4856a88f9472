"""Values the signal service hands to handlers, jobs and other features."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Literal

from core.sizing import SizeSuggestion
from services.db.models.signals import OPEN_STATUSES, SignalRecord
from services.signals.gate import BlockReason

SIDES = {"LONG": 1, "SHORT": -1, "NEUTRAL": 0}


@dataclass(frozen=True)
class SignalDTO:
    id: int
    symbol: str
    timeframe: str
    preset: str
    origin: str
    requested_by: int | None
    trade_mode: str
    status: str
    direction: str
    candidate_direction: str
    score: float
    confidence: float
    entry: Decimal | None
    stop: Decimal | None
    tp1: Decimal | None
    tp2: Decimal | None
    tp3: Decimal | None
    rr: float | None
    size: dict[str, Any] | None
    components: list[dict[str, Any]]
    regime: str
    mtf: dict[str, Any]
    mtf_confirmed: bool
    fbd_score: float
    fbd: dict[str, Any]
    snapshot: dict[str, Any]
    levels: dict[str, Any] | None
    rejections: list[dict[str, Any]]
    source: str
    simulated: bool
    bar_time: int
    candle_close_ms: int
    created_ms: int
    expires_ms: int
    checked_ms: int
    tp_hit: int
    current_stop: Decimal | None
    tp1_ms: int | None
    tp2_ms: int | None
    tp3_ms: int | None
    sl_ms: int | None
    closed_ms: int | None
    outcome_r: float | None

    @classmethod
    def from_row(cls, row: SignalRecord) -> SignalDTO:
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})

    @property
    def side(self) -> int:
        return SIDES[self.direction]

    @property
    def issued(self) -> bool:
        return self.direction != "NEUTRAL"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


SizeNote = Literal["ok", "no_deposit", "too_small", "blocked", "not_issued"]


@dataclass(frozen=True)
class SignalView:
    """One signal as one user sees it: the stored record plus their size and gate."""

    signal: SignalDTO
    size: SizeSuggestion | None
    size_note: SizeNote
    blocked: BlockReason | None
    stale: bool
    age_s: float | None


@dataclass(frozen=True)
class Explanation:
    text: str
    kind: Literal["ai", "fallback"]
    cached: bool
    model: str | None = None


@dataclass(frozen=True)
class SignalStatsRow:
    """Hit rates of issued signals for one trade mode and preset.

    Shares are over closed signals (an open signal has no outcome yet):
    `tp1_share` = reached TP1; `sl_share` = stopped before TP1; `avg_r` = mean
    realized R with the 50/30/20 split and breakeven after TP1.
    """

    trade_mode: str
    preset: str
    issued: int
    open: int
    closed: int
    tp1_hits: int
    sl_hits: int
    expired: int
    tp1_share: float | None
    sl_share: float | None
    avg_r: float | None


@dataclass(frozen=True)
class ScanReport:
    evaluated: int
    issued: list[int]
    skipped: dict[str, int]  # reason -> count (stale, cooldown, anomaly, unknown, error)
    deliveries: int


@dataclass(frozen=True)
class MonitorReport:
    followed: int
    updated: int
    closed: int
