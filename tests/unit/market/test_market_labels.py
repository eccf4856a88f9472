"""Labels for simulated and stale data, in both languages."""

from __future__ import annotations

import numpy as np

from core.market.frame import frame_from_arrays
from core.market.symbols import UnknownSymbol
from services.i18n import Catalog
from services.market.base import CandleResult, Ticker
from services.market.labels import data_label, format_age, unknown_symbol_text, with_label


def _result(simulated: bool, stale: bool, age: float | None = 7200.0) -> CandleResult:
    frame = frame_from_arrays(np.array([0]), *(np.ones(1),) * 5)
    return CandleResult("BTC/USDT", "1h", frame, "x", simulated, stale, age)


def _ticker(simulated: bool) -> Ticker:
    return Ticker("BTC/USDT", 1.0, 1.0, 1.0, 0.0, 1.0, 0, "sim", simulated, False)


def test_labels_in_english_and_russian() -> None:
    catalog = Catalog()
    en, ru = catalog.translator("en"), catalog.translator("ru")
    assert data_label(_result(False, False), en) is None
    assert data_label(_result(True, False), en) == (
        "⚠️ <b>Simulated market</b>: these are not real prices."
    )
    assert data_label(_result(False, True), en) == (
        "⚠️ Exchange unreachable: cached data, 2h 0m old."
    )
    assert data_label(_result(True, False), ru).startswith("⚠️ <b>Симулированный рынок</b>")
    # Any item of a list marks the whole message.
    both = data_label([_ticker(False), _ticker(True), _result(False, True, 90)], en)
    assert both is not None and both.count("\n") == 1 and "1m 30s old" in both
    assert with_label("BTC 1.0", _ticker(True), en).endswith("\nBTC 1.0")
    assert with_label("BTC 1.0", _ticker(False), en) == "BTC 1.0"


def test_format_age_in_the_readers_units() -> None:
    catalog = Catalog()
    en, ru = catalog.translator("en"), catalog.translator("ru")
    ages = (None, 5, 600, 3 * 3600 + 300, 2 * 86400 + 3600)
    assert [format_age(s, en) for s in ages] == ["?", "0m 5s", "10m 0s", "3h 5m", "2d 1h 0m"]
    assert [format_age(s, ru) for s in ages] == [
        "?", "0 мин 5 с", "10 мин 0 с", "3 ч 5 мин", "2 д 1 ч 0 мин",
    ]  # fmt: skip


def test_russian_stale_label_has_no_latin_units() -> None:
    ru = Catalog().translator("ru")
    label = data_label(_result(False, True, 3 * 3600 + 300), ru)
    assert label == "⚠️ Биржа недоступна: данные из кэша, возраст 3 ч 5 мин."


def test_unknown_symbol_text_escapes_and_suggests() -> None:
    en = Catalog().translator("en")
    assert unknown_symbol_text(UnknownSymbol("<b>x", []), en) == (
        "I do not know the market &lt;b&gt;x."
    )
    assert unknown_symbol_text(UnknownSymbol("BTCUSTD", ["BTC/USDT", "BTC/USDC"]), en) == (
        "I do not know the market BTCUSTD. Did you mean BTC/USDT, BTC/USDC?"
    )
