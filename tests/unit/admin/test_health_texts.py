"""/status and /admin read naturally in both languages: units, plurals, no doubled labels."""

from __future__ import annotations

from dataclasses import replace

import pytest

from handlers.admin.format import render_health, render_status
from services.admin.health import HealthReport, SourceHealth
from services.i18n import Catalog

REPORT = HealthReport(
    db_ok=True, users_total=12345, active_24h=2, active_7d=3, blocked_bot=0,
    signals_today=1, delivered_today=1, open_positions=0, data_state="simulated",
    data_source="sim",
    sources=[SourceHealth("binance", "open", None, None, 3, 3, 1, 2, 0, None)],
    stale_symbols=[], scheduler_running=True, jobs=[], queue_pending=0,
    send_p50_ms=None, send_p95_ms=None, delivery_p50_ms=None, errors=[],
    version="1.0", commit="abc", uptime_s=3 * 86400 + 4 * 3600 + 5 * 60 + 6,
)  # fmt: skip


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(default_locale="en")


def test_uptime_in_the_readers_units(catalog: Catalog) -> None:
    ru, en = catalog.translator("ru"), catalog.translator("en")
    assert "Работает 3 д 4 ч 5 мин" in render_status(REPORT, ru)
    assert "Up for 3d 4h 5m" in render_status(REPORT, en)
    short = replace(REPORT, uptime_s=10)
    assert "Работает 0 мин 10 с" in render_status(short, ru)
    assert "работает 0 мин 10 с" in render_health(short, ru)


def test_simulated_data_is_not_labelled_twice(catalog: Catalog) -> None:
    en, ru = catalog.translator("en"), catalog.translator("ru")
    assert "Market data: simulated (not real prices)\n" in render_status(REPORT, en)
    assert "(sim)" not in render_status(REPORT, en) + render_health(REPORT, en)
    assert "(sim)" not in render_status(REPORT, ru) + render_health(REPORT, ru)
    live = replace(REPORT, data_state="live", data_source="binance")
    assert "Market data from binance: live" in render_status(live, en)
    stale = replace(REPORT, data_state="stale", data_source="binance")
    assert "Рыночные данные с binance: устаревшие (биржа" in render_status(stale, ru)


@pytest.mark.parametrize(
    ("lang", "count", "text"),
    [
        ("en", 1, "1 symbol has old data."),
        ("en", 3, "3 symbols have old data."),
        ("ru", 1, "У 1 символа старые данные."),
        ("ru", 21, "У 21 символа старые данные."),
        ("ru", 5, "У 5 символов старые данные."),
    ],
)
def test_stale_symbol_count_uses_plurals(
    catalog: Catalog, lang: str, count: int, text: str
) -> None:
    stale = replace(
        REPORT, data_state="stale", stale_symbols=[f"S{i}/USDT 1h" for i in range(count)]
    )
    assert render_status(stale, catalog.translator(lang)).endswith(text)


def test_admin_picture_in_russian_has_no_english_words(catalog: Catalog) -> None:
    report = replace(REPORT, problems=["market-stale", "scheduler"])
    ru = render_health(report, catalog.translator("ru"))
    assert "предохранитель разомкнут" in ru and "open" not in ru
    assert "Проблемы: рыночные данные устарели, планировщик не запущен" in ru
    assert "Пользователи: 12,345" in ru  # grouped as amounts are: 10,000.00 USDT
    en = render_health(report, catalog.translator("en"))
    assert "Problems: market data stale, scheduler not running" in en
    assert "cache hits 1, misses 2" in en


@pytest.mark.parametrize(
    ("lang", "positions", "fills", "text"),
    [
        ("en", 1, 2, "(1 position, 2 fills)"),
        ("en", 2, 1, "(2 positions, 1 fill)"),
        ("ru", 1, 2, "(1 позиция, 2 исполнения)"),
        ("ru", 5, 21, "(5 позиций, 21 исполнение)"),
    ],
)
def test_export_caption_counts_use_plurals(
    catalog: Catalog, lang: str, positions: int, fills: int, text: str
) -> None:
    caption = catalog.translator(lang)("export-caption", positions=positions, fills=fills)
    assert caption.endswith(f"{text}.")


@pytest.mark.parametrize(
    ("lang", "n", "text"),
    [
        ("ru", 3, "У вас уже 3 открытые позиции;"),
        ("ru", 5, "У вас уже 5 открытых позиций;"),
        ("ru", 1, "У вас уже 1 открытая позиция;"),
        ("en", 1, "You already have 1 open position;"),
    ],
)
def test_risk_refusal_counts_use_plurals(catalog: Catalog, lang: str, n: int, text: str) -> None:
    refusal = catalog.translator(lang)("risk-refuse-open-positions", open=n, max=n)
    assert text in refusal


def test_stop_loss_streak_uses_plurals(catalog: Catalog) -> None:
    ru = catalog.translator("ru")
    assert ru("risk-reason-sl-streak-pause", streak=5, until="12:00").startswith(
        "5 стоп-лоссов подряд;"
    )
    assert ru("risk-reason-sl-streak-pause", streak=3, until="12:00").startswith(
        "3 стоп-лосса подряд;"
    )
