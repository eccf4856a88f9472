"""`tradebot backfill` over a period the data does not cover says so and fails,
instead of stepping through empty candles and reporting success (QA defect 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

BTC_1H = "../shared/data/ohlcv/binance_BTC-USDT_1h.csv.gz"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bf.db'}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def test_a_period_without_candles_is_an_error(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["backfill", "--data", BTC_1H, "--from", "2010-06-01", "--to", "2010-07-01"]
    assert main([*args, "--user", "1"]) == 1
    captured = capsys.readouterr()
    assert "candles" not in captured.out and "signals" not in captured.out
    assert captured.err.strip().splitlines()[-1] == (
        f"error: no candles in {BTC_1H} between 2010-06-01T00:00:00Z and "
        "2010-07-01T00:00:00Z (no data for that period)"
    )


def test_a_covered_period_runs(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["backfill", "--data", BTC_1H, "--from", "2024-03-03T18:00", "--to", "2024-03-04"]
    assert main([*args, "--user", "1"]) == 0
    assert "user 1: 7 candles" in capsys.readouterr().out
