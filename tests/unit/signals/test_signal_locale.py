"""Every reason the engine emits reads well in both languages, with its variables."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from core.strategies.engine import analyse, config_for
from core.strategies.state import details
from services.i18n import Catalog
from services.signals.format import reason_text

FILES = {
    "composite": "../shared/data/ohlcv/binance_BTC-USDT_1h.csv.gz",
    "scalper": "../shared/data/ohlcv/binance_ETH-USDT_15m.csv.gz",
}
# Codes that real candles rarely produce but the engine and the service can emit.
SERVICE_CODES = {"stale_data", "not_tradable"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(default_locale="en")


def _emitted(preset: str) -> dict[str, set[str]]:
    """code -> parameter names, over a sweep of bars of real candles."""
    frame = pd.read_csv(FILES[preset], nrows=6000)
    state = analyse(frame, config_for(preset))
    found: dict[str, set[str]] = {}
    for i in range(0, len(frame), 3):
        d = details(state, i)
        reasons = [r for c in d.components for r in c.reasons]
        reasons += [*d.false_breakout.reasons, *d.rejections]
        for reason in reasons:
            found.setdefault(reason.code, set()).update(reason.params)
    return found


@pytest.mark.parametrize("preset", sorted(FILES))
def test_every_emitted_code_is_localized_with_known_variables(preset, catalog) -> None:
    emitted = _emitted(preset)
    assert len(emitted) >= 15, emitted  # the sweep really exercised the engine
    for code, params in emitted.items():
        key = f"signal-reason-{code}"
        for lang in ("en", "ru"):
            assert catalog.has(key, lang), f"{key} missing in {lang}"
            missing = catalog.variables(lang, key) - params
            assert not missing, f"{key} ({lang}) uses {missing} the engine does not send"


def test_service_codes_and_labels_exist(catalog) -> None:
    names = {"trend", "mean_reversion", "breakout", "volume", "trend_htf", "momentum"}
    regimes = {"trending_up", "trending_down", "ranging", "high_volatility"}
    statuses = {"confirmed", "partial", "conflict", "unavailable", "not_applicable"}
    keys = [f"signal-reason-{c}" for c in SERVICE_CODES]
    keys += [f"signal-component-{n}" for n in names]
    keys += [f"signal-regime-{r}" for r in regimes] + [f"signal-mtf-{s}" for s in statuses]
    for lang in ("en", "ru"):
        for key in keys:
            assert catalog.has(key, lang), f"{key} missing in {lang}"


def test_reason_text_formats_numbers_and_never_leaks_placeholders(catalog) -> None:
    i18n = catalog.translator("ru")
    text = reason_text(
        i18n, {"code": "rsi_oversold", "params": {"rsi": 24.56789, "oversold": 30.0}}
    )
    assert text == "RSI 24.57, перепроданность (ниже 30)"
    unknown = reason_text(i18n, {"code": "brand_new_code", "params": {}})
    assert unknown == "brand_new_code"
    missing = reason_text(i18n, {"code": "adx_strong", "params": {"adx": None}})
    assert "—" in missing and not re.search(r"\{\s*\$", missing)


def test_reason_counts_take_plural_forms(catalog) -> None:
    ru, en = catalog.translator("ru"), catalog.translator("en")

    def warming(i18n, bars):
        return reason_text(i18n, {"code": "warming_up", "params": {"bars": bars}})

    assert [warming(ru, n) for n in (21, 22, 25, 1000)] == [
        "пока мало истории (21 свеча)",
        "пока мало истории (22 свечи)",
        "пока мало истории (25 свечей)",
        "пока мало истории (1,000 свечей)",
    ]
    assert warming(en, 1) == "not enough history yet (1 candle)"
    assert warming(en, 21.0) == "not enough history yet (21 candles)"
    obv = reason_text(ru, {"code": "obv_rising", "params": {"lookback": 21}})
    assert obv == "OBV растёт за 21 свечу"
    # Fractions keep four significant digits; integral floats read as whole numbers.
    rsi = reason_text(en, {"code": "rsi_oversold", "params": {"rsi": 24.56789, "oversold": 30.0}})
    assert rsi == "RSI 24.57, oversold (below 30)"
