"""The chat card reads ratios from the stored strict-JSON metrics: a profit factor
with no losing trade is ∞, an undefined one is —, old "inf" rows still read."""

from __future__ import annotations

import math

from core.metrics.formulas import json_safe
from handlers.backtest_view import _ratio


def test_card_ratios_from_stored_metrics() -> None:
    stored = json_safe({"profit_factor": math.inf, "sharpe": math.nan, "calmar": 1.234})
    assert isinstance(stored, dict)
    assert _ratio(stored, "profit_factor") == "∞"
    assert _ratio(stored, "sharpe") == "—"
    assert _ratio(stored, "calmar") == "1.23"
    assert _ratio({"profit_factor": "inf"}, "profit_factor") == "∞"
    assert _ratio(json_safe({"profit_factor": math.nan}), "profit_factor") == "—"  # type: ignore[arg-type]
