"""Strategy protocol and the value types the signal engine hands to the rest of the app.

Everything here is plain data: the service layer stores it, localizes the reason codes and
renders it; the backtest reads `SignalFrame` columns. Reasons are codes plus parameters
(never sentences) so Russian and English text can be produced from the same record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Literal, Protocol, runtime_checkable

import numpy as np
import pandas as pd

LONG = 1
SHORT = -1
NEUTRAL = 0

DIRECTION_NAMES: Mapping[int, str] = {LONG: "LONG", SHORT: "SHORT", NEUTRAL: "NEUTRAL"}

ReasonParam = float | int | str | bool | None


def plain(value: object) -> object:
    """JSON-ready copy of a DTO: dataclasses to dicts, tuples to lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value


class _Plain:
    """Mixin: `as_dict()` for the `--json` output and the signal record's JSON columns;
    direction fields are written as LONG/SHORT/NEUTRAL."""

    __slots__ = ()

    def as_dict(self) -> dict[str, object]:
        out = plain(self)
        assert isinstance(out, dict)
        for key in ("direction", "candidate_direction"):
            if key in out:
                out[key] = DIRECTION_NAMES[out[key]]
        return out


@dataclass(frozen=True, slots=True)
class Reason(_Plain):
    """A stable reason code (a Fluent key suffix) and the values the message needs."""

    code: str
    params: Mapping[str, ReasonParam] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Component(_Plain):
    """One engine component on one bar: its score in [-1, 1], weight and why."""

    name: str
    score: float
    weight: float
    reasons: tuple[Reason, ...]

    @property
    def contribution(self) -> float:
        return self.score * self.weight


MtfStatus = Literal["confirmed", "partial", "conflict", "unavailable", "not_applicable"]


@dataclass(frozen=True, slots=True)
class MtfInfo(_Plain):
    """Higher-timeframe trends seen at the bar (1 up, -1 down, 0 flat, None unknown)."""

    status: MtfStatus
    confirmed: bool
    trends: Mapping[str, int | None]


@dataclass(frozen=True, slots=True)
class FalseBreakoutInfo(_Plain):
    """False-breakout detector output for the bar; `attempt` is the pierced side (0 none)."""

    score: float
    threshold: float
    attempt: int
    rejected: bool
    reasons: tuple[Reason, ...]


TP_SPLIT: tuple[float, float, float] = (0.5, 0.3, 0.2)


@dataclass(frozen=True, slots=True)
class Levels(_Plain):
    """Entry, stop and three take-profits (closed 50/30/20) with risk/reward.

    `rr` is the split-weighted reward over the risk: what the whole position earns in R
    if every target is reached in turn; `rr_tp1..3` are per-target multiples.
    """

    entry: float
    stop: float
    tp1: float
    tp2: float
    tp3: float
    rr: float
    rr_tp1: float
    rr_tp2: float
    rr_tp3: float
    stop_basis: Literal["atr", "swing"]
    split: tuple[float, float, float] = TP_SPLIT

    @property
    def risk_per_unit(self) -> float:
        return abs(self.entry - self.stop)


@dataclass(frozen=True, slots=True)
class SignalDetails(_Plain):
    """The full explanation of one bar (the last closed bar for live use).

    `direction` is what the engine issues (NEUTRAL when nothing is issued);
    `candidate_direction` is what the weighted score alone said before the filters
    (false breakout, anomaly, minimum R:R, minimum confidence) had their say; each filter
    that stopped a candidate adds a reason to `rejections`. The cooldown is not applied
    here: it needs the previous issued signal, which the caller owns (see
    `core.strategies.cooldown`).
    """

    preset: str
    bar_time: int
    timeframe_ms: int
    direction: int
    candidate_direction: int
    score: float
    confidence: float
    components: tuple[Component, ...]
    regime: str
    mtf: MtfInfo
    false_breakout: FalseBreakoutInfo
    snapshot: Mapping[str, float | None]
    levels: Levels | None
    rejections: tuple[Reason, ...]

    @property
    def issued(self) -> bool:
        return self.direction != NEUTRAL

    @property
    def direction_name(self) -> str:
        return DIRECTION_NAMES[self.direction]


@dataclass(frozen=True, slots=True)
class SignalRow(_Plain):
    """One issued signal in `history()` output."""

    time: int
    direction: int
    confidence: float
    entry: float
    stop: float
    tp1: float
    tp2: float
    tp3: float
    rr: float

    @property
    def direction_name(self) -> str:
        return DIRECTION_NAMES[self.direction]


@dataclass(slots=True)
class SignalFrame:
    """Per-bar signal columns aligned with the candle frame (value at t uses bars <= t).

    `direction` int8 (1 long, -1 short, 0 none); `confidence` 0..100; `stop`/`tp1..3`
    absolute prices set on signal bars (NaN elsewhere); `exit` int8, 1 = close any open
    position at the next open.
    """

    direction: np.ndarray
    confidence: np.ndarray
    stop: np.ndarray
    tp1: np.ndarray
    tp2: np.ndarray
    tp3: np.ndarray
    exit: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.direction)
        for name in ("confidence", "stop", "tp1", "tp2", "tp3", "exit"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"SignalFrame column {name!r} has the wrong length")

    def __len__(self) -> int:
        return len(self.direction)

    @classmethod
    def empty(cls, n: int) -> SignalFrame:
        """No signals anywhere: the starting point for strategies that fill a few bars."""
        nan = np.full(n, np.nan)
        return cls(
            direction=np.zeros(n, dtype=np.int8),
            confidence=np.zeros(n),
            stop=nan.copy(),
            tp1=nan.copy(),
            tp2=nan.copy(),
            tp3=nan.copy(),
            exit=np.zeros(n, dtype=np.int8),
        )


@runtime_checkable
class Strategy(Protocol):
    """A function of a candle frame yielding per-bar signal columns (design principle 1)."""

    name: str

    def generate(self, frame: pd.DataFrame) -> SignalFrame: ...
