"""Paper-trading parameters, lifted out of `Settings` so services and tests can build
them directly."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.accounting import DEFAULT_FUTURES_TAKER_FEE, DEFAULT_SPOT_TAKER_FEE, position_kind
from core.fills import DEFAULT_MMR


@dataclass(frozen=True, slots=True)
class PaperConfig:
    spot_fee: Decimal = DEFAULT_SPOT_TAKER_FEE
    futures_fee: Decimal = DEFAULT_FUTURES_TAKER_FEE
    slippage_bps: Decimal = Decimal(5)
    mmr: Decimal = DEFAULT_MMR
    monitor_timeframe: str = "1m"
    atr_timeframe: str = "1h"
    atr_period: int = 14
    atr_stop_mult: Decimal = Decimal("1.5")

    @classmethod
    def from_settings(cls, settings: Any) -> PaperConfig:
        return cls(
            spot_fee=settings.paper_spot_fee,
            futures_fee=settings.paper_futures_fee,
            slippage_bps=settings.paper_slippage_bps,
            mmr=settings.paper_mmr,
            monitor_timeframe=settings.paper_monitor_timeframe,
            atr_timeframe=settings.paper_atr_timeframe,
            atr_period=settings.paper_atr_period,
            atr_stop_mult=settings.paper_atr_stop_mult,
        )

    def fee_rate(self, leverage: int, side: str = "long") -> Decimal:
        """The taker fee of the market the position trades on (core.accounting.position_kind)."""
        spot = position_kind(leverage, side) == "spot"  # type: ignore[arg-type]
        return self.spot_fee if spot else self.futures_fee
