"""`tradebot signal` through the real entry point, on the shared candle files."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from bot.cli import main
from core.strategies.engine import history

DATA = "../shared/data/ohlcv/"
FOUR_HOURS = "../shared/data/ohlcv/binance_BTC-USDT_4h.csv.gz"


def test_done_when_command_prints_a_complete_signal(capsys) -> None:
    argv = ["signal", "BTC/USDT", "--data", DATA, "--at", "2023-06-01T00:00:00Z", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["symbol"], out["timeframe"], out["source"]) == ("BTC/USDT", "1h", "replay")
    assert out["candle_close"] == "2023-06-01T00:00:00Z"  # the last candle closed at --at
    for key in (
        "direction",
        "confidence",
        "components",
        "regime",
        "mtf",
        "false_breakout",
        "snapshot",
        "levels",
        "rejections",
        "trade_mode",
        "simulated",
        "stale",
    ):
        assert key in out
    assert out["trade_mode"] == "backfill" and out["simulated"] is False


def test_issued_signal_has_levels(capsys) -> None:
    argv = ["signal", "btcusdt", "--data", DATA, "--at", "2023-06-21T01:00:00Z", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["direction"], out["issued"]) == ("LONG", True)
    lv = out["levels"]
    assert lv["stop"] < lv["entry"] < lv["tp1"] < lv["tp2"] < lv["tp3"]
    assert main(["signal", "BTC/USDT", "--data", DATA, "--at", "2023-06-21T01:00:00Z"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("BTC/USDT 1h LONG") and "entry 28414" in text


def test_history_lists_what_the_engine_would_have_issued(capsys) -> None:
    assert main(["signal", "history", "--data", FOUR_HOURS, "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    rows = history(pd.read_csv(FOUR_HOURS), "composite")
    assert len(lines) == len(rows) > 0
    first = json.loads(lines[0])
    assert (first["time"], first["direction"]) == (rows[0].time, rows[0].direction_name)
    assert first["entry"] == pytest.approx(rows[0].entry, rel=1e-9)
    assert first["stop"] == pytest.approx(rows[0].stop, rel=1e-9)
    # output without float noise: rr 1.7, not 1.7000000000000002
    for line in lines:
        row = json.loads(line)
        assert row["rr"] == round(row["rr"], 2)
        assert all(
            len(repr(v).replace(".", "")) <= 12 for v in row.values() if isinstance(v, float)
        )
    assert main(["signal", "history", "--data", FOUR_HOURS]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == len(rows)


def test_bad_input_is_one_error_line_and_exit_2(capsys) -> None:
    assert main(["signal", "BTCC/USDT", "--data", DATA, "--at", "2023-06-01T00:00:00Z"]) == 2
    assert "did you mean BTC/USDT" in capsys.readouterr().err
    assert main(["signal", "BTC/USDT", "--at", "2023-06-01T00:00:00Z"]) == 2
    assert "--at needs --data" in capsys.readouterr().err
    assert main(["signal", "BTC/USDT", "--data", DATA, "--at", "yesterday"]) == 2
    assert "not an ISO time" in capsys.readouterr().err
    assert main(["signal", "history"]) == 2
    assert "needs --data FILE" in capsys.readouterr().err
    assert main(["signal", "BTC/USDT", "--preset", "nope", "--data", DATA]) == 2
    assert "unknown preset" in capsys.readouterr().err
