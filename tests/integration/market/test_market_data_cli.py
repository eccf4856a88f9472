"""`tradebot data ...` end to end: real files, a temp SQLite DB, the fake exchange."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.commands.data import main
from core.config import get_settings
from core.market.csv import read_candles
from tests.integration.market.conftest import DATA, H

BTC_1H = DATA / "binance_BTC-USDT_1h.csv.gz"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    for name in ("EXCHANGE", "MARKET_DATA", "FALLBACK_EXCHANGES"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_import_then_status_reports_readme_rows_and_gaps(env, capsys) -> None:
    assert main(["data", "import", str(BTC_1H), "--symbol", "BTC/USDT", "--timeframe", "1h"]) == 0
    out = capsys.readouterr().out
    assert "new 58419" in out and "28 gaps (128 missing)" in out

    assert main(["data", "status", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["exchange"], row["symbol"], row["timeframe"]) == ("binance", "BTC/USDT", "1h")
    assert row["rows"] == 58419 and row["gaps"] == 28 and row["missing"] == 128
    assert row["first"] == "2017-08-17 04:00" and row["last"] == "2024-04-21 14:00"
    assert row["completeness_pct"] == 99.78 and row["stale"] is True
    assert [(g["start"], g["missing"]) for g in row["gap_list"][:3]] == [
        ("2017-09-06 17:00", 6), ("2018-01-04 04:00", 1), ("2018-02-08 01:00", 33),
    ]  # fmt: skip

    # Importing again adds nothing; the text status has one line per series.
    assert main(["data", "import", str(BTC_1H)]) == 0
    assert "new 0, already cached 58419" in capsys.readouterr().out
    assert main(["data", "status"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and "58419" in lines[1] and "99.78%" in lines[1]

    # Quality report on the cached symbol: gaps are problems (exit 1).
    assert main(["data", "check", "btcusdt", "--timeframe", "1h"]) == 1
    report = capsys.readouterr().out
    assert "gap from 2018-02-08 01:00: 33 missing" in report


def test_check_file_and_bad_input(env, capsys, tmp_path: Path) -> None:
    assert main(["data", "check", str(DATA / "binance_ETH-USDT_4h.csv.gz"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["issues"] == {}

    assert main(["data", "check", "BTC/USDT", "--timeframe", "7x"]) == 2
    assert capsys.readouterr().err.startswith("error: invalid timeframe '7x'")
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n")
    assert main(["data", "import", str(junk), "--symbol", "BTC/USDT", "--timeframe", "1h"]) == 2
    assert "not a candle file" in capsys.readouterr().err
    assert main(["data", "import", str(junk), "--symbol", "!!", "--timeframe", "1h"]) == 2
    assert "not a market symbol" in capsys.readouterr().err


async def test_fetch_backfills_only_what_is_missing(
    env,
    capsys,
    fake_exchange_factory,
    monkeypatch,
) -> None:
    frame = read_candles(BTC_1H)
    now = time.time_ns() // 1_000_000
    shift = (now // H * H) - (int(frame.timestamp.iloc[-1]) + H)  # data ends this hour
    fake = await fake_exchange_factory(files=[BTC_1H.name], now_ms=now, shift_ms=shift)
    monkeypatch.setenv("EXCHANGE_URL_OVERRIDES", json.dumps({"binance": fake.url}))
    get_settings.cache_clear()

    code = await asyncio.to_thread(main, ["data", "fetch", "btcusdt", "--days", "30"])
    assert code == 0
    out = capsys.readouterr().out
    # Closed candles opening in the last 30 days: 30 * 24 less the open one (720 only
    # when the command runs exactly on the hour).
    assert re.search(r"BTC/USDT 1h: 7(19|20) new candles", out)
    first_pages = fake.count("/klines")
    assert first_pages == 1

    code = await asyncio.to_thread(main, ["data", "fetch", "BTC-USDT", "--days", "30"])
    assert code == 0 and "0 new candles" in capsys.readouterr().out
    assert fake.count("/klines") == first_pages  # the cache already covers it

    code = await asyncio.to_thread(main, ["data", "fetch", "NOPEUSDT"])
    assert code == 2
    assert "unknown market 'NOPEUSDT'" in capsys.readouterr().err


def test_data_errors_name_the_real_problem(env, capsys, tmp_path: Path) -> None:
    """QA defect 21: a folder, a missing file and the 1h default of `check SYMBOL`."""
    assert main(["data", "check", "BTC/USDT"]) == 2  # 1h by default, nothing cached
    assert capsys.readouterr().err == "error: nothing cached for binance BTC/USDT 1h\n"
    assert main(["data", "import", str(DATA)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {DATA} is a folder: pass one candle file")
    assert main(["data", "check", str(DATA)]) == 2
    assert "is a folder: pass one candle file" in capsys.readouterr().err
    missing = str(tmp_path / "nonexistent.csv.gz")
    for command in ("import", "check"):
        assert main(["data", command, missing]) == 2
        assert capsys.readouterr().err == f"error: no such file: {missing}\n"


async def test_fetch_with_every_exchange_down_is_one_error_line(
    env, capsys, fake_exchange_factory, monkeypatch
) -> None:
    """QA defect 7 (`data fetch` part): no traceback, exit 1, one line."""
    fake = await fake_exchange_factory(files=[BTC_1H.name], now_ms=time.time_ns() // 1_000_000)
    fake.down = True
    monkeypatch.setenv("EXCHANGE_URL_OVERRIDES", json.dumps({"binance": fake.url}))
    monkeypatch.setenv("MARKET_RETRIES", "0")
    get_settings.cache_clear()
    code = await asyncio.to_thread(main, ["data", "fetch", "BTC/USDT", "--days", "1"])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no exchange answered: binance") and err.count("\n") == 1
