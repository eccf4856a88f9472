"""`/backtest` argument reading and period checks (no I/O)."""

from __future__ import annotations

import pytest

from services.backtests.errors import BadRequest
from services.backtests.request import DAY_MS, ChatArgs, parse_args, resolve_window

NOW = 1_700_000_000_000  # 2023-11-14 22:13 UTC


def parse(text: str | None) -> ChatArgs:
    return parse_args(text, default_timeframe="1h", default_strategy="composite")


def refusal(text: str) -> BadRequest:
    with pytest.raises(BadRequest) as info:
        parse(text)
    return info.value


def test_full_form_and_defaults() -> None:
    assert parse("ETH/USDT 4h scalper 180d") == ChatArgs(
        "ETH/USDT", "4h", "scalper", 180, None, None
    )
    assert parse("btc") == ChatArgs("btc", "1h", "composite", None, None, None)
    assert parse("BTC/USDT 1y").days == 365
    assert parse("BTC/USDT ema_cross 12w").days == 84
    assert parse("BTC/USDT 15m 6mo").days == 180
    # "1d" right after the symbol is the timeframe; after it, a period
    assert parse("BTC/USDT 1d 1d") == ChatArgs("BTC/USDT", "1d", "composite", 1, None, None)


def test_date_range_is_inclusive_utc_days() -> None:
    args = parse("BTC/USDT 1h composite 2024-01-01..2024-01-31")
    assert args.days is None
    assert args.start_ms == 1_704_067_200_000  # 2024-01-01 00:00 UTC
    assert args.end_ms == 1_706_745_600_000 - 1  # the end of 2024-01-31


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "backtest-usage"),
        ("BTC/USDT 1h composite 90d extra", "backtest-usage"),
        ("BTC/USDT 7m", "backtest-bad-timeframe"),
        ("BTC/USDT moonshot", "backtest-unknown-strategy"),
        ("BTC/USDT 90x", "backtest-bad-period"),
        ("BTC/USDT 0d", "backtest-bad-period"),
        ("BTC/USDT 2024-13-01..2024-12-01", "backtest-bad-period"),
        ("BTC/USDT 2024-03-01..2024-01-01", "backtest-inverted-dates"),
    ],
)
def test_bad_input_names_the_problem(text: str, key: str) -> None:
    assert refusal(text).key == key


def test_inverted_dates_carry_both_dates() -> None:
    err = refusal("BTC/USDT 2024-03-01..2024-01-01")
    assert dict(err.params) == {"start": "2024-03-01", "end": "2024-01-01"}


def window(text: str, **limits: int) -> tuple[int, int, int]:
    kw = {"default_days": 90, "max_days": 1825, "max_bars": 200_000, **limits}
    return resolve_window(parse(text), NOW, **kw)


def test_relative_period_ends_now_and_default_applies() -> None:
    assert window("BTC/USDT 30d") == (NOW - 30 * DAY_MS, NOW, 30)
    assert window("BTC/USDT") == (NOW - 90 * DAY_MS, NOW, 90)


def test_range_is_cut_at_now_and_future_refused() -> None:
    start, end, days = window("BTC/USDT 2023-11-01..2023-12-31")
    assert (start, end, days) == (1_698_796_800_000, NOW, 14)
    with pytest.raises(BadRequest) as info:
        window("BTC/USDT 2030-01-01..2030-02-01")
    assert info.value.key == "backtest-future"


def test_absurd_periods_are_refused() -> None:
    with pytest.raises(BadRequest) as info:
        window("BTC/USDT 100y")
    assert info.value.key == "backtest-period-too-long"
    assert dict(info.value.params) == {"days": 36500, "max": 1825}
    with pytest.raises(BadRequest) as info:
        window("BTC/USDT 5m 3y", max_days=5000)  # 315k five-minute candles
    assert info.value.key == "backtest-too-many-bars"
    assert info.value.params["bars"] == 3 * 365 * 288
