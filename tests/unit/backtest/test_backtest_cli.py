"""`tradebot backtest` in-process through the real CLI entry: JSON, report files, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from bot.cli import main
from core.backtest import BacktestConfig, run_backtest
from core.market.csv import read_candles, write_candles
from core.strategies.ema_cross import EmaCross

FULL = "../shared/data/ohlcv/binance_BTC-USDT_5m.csv.gz"
EMA = ["--param", "fast=12", "--param", "slow=26", "--param", "sl=0.02", "--param", "tp=0.04"]


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "binance_BTC-USDT_5m.csv.gz"
    write_candles(read_candles(FULL).iloc[:3000], path)
    return path


def base(path: Path | str) -> list[str]:
    return ["backtest", "--data", str(path), "--symbol", "BTC/USDT", "--timeframe", "5m"]


def test_done_when_command_prints_metrics_and_trades(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        *base(FULL),
        "--strategy",
        "ema_cross",
        *EMA,
        "--fee",
        "0.001",
        "--size-mode",
        "fixed_qty",
        "--size",
        "1",
        "--cash",
        "10000000",
        "--direction",
        "long",
        "--json",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"metrics", "trades"}
    trades = out["trades"]
    assert len(trades) > 2000
    assert set(trades[0]) == {
        "entry_time",
        "exit_time",
        "side",
        "entry_price",
        "exit_price",
        "qty",
        "fees",
        "pnl",
        "exit_reason",
    }
    assert trades[0]["entry_time"].endswith("Z") and trades[0]["qty"] == 1.0
    assert {t["side"] for t in trades} == {"long"}
    closed = [t for t in trades if t["exit_time"] is not None]
    assert out["metrics"]["trades"] == len(closed)
    net = sum(t["pnl"] for t in trades)
    assert out["metrics"]["final_equity"] == pytest.approx(10_000_000 + net)
    # strict JSON: the profit factor is a number (or null) with a flag, never "inf"
    assert isinstance(out["metrics"]["profit_factor"], float)
    assert out["metrics"]["profit_factor_infinite"] is False


def test_open_position_has_null_exit(small_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frame = read_candles(small_file)
    full = run_backtest(frame, EmaCross(fast=12, slow=26, sl=0.02, tp=0.04), BacktestConfig())
    held = full.trades[full.trades.exit_bar - full.trades.entry_bar > 3].iloc[0]
    cut = frame.timestamp[held.entry_bar + 1]
    to = pd.Timestamp(cut, unit="ms", tz="UTC").isoformat()
    assert main([*base(small_file), "--strategy", "ema_cross", *EMA, "--to", to, "--json"]) == 0
    last = json.loads(capsys.readouterr().out)["trades"][-1]
    assert last["entry_time"] == pd.Timestamp(held.entry_time, unit="ms", tz="UTC").strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert last["exit_time"] is None and last["exit_price"] is None
    assert last["exit_reason"] == "end"


def test_report_directory(
    small_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "rep"
    argv = [*base(small_file), "--strategy", "ema_cross", *EMA, "--report", str(out_dir)]
    argv += ["--from", "2024-03-02", "--to", "2024-03-08"]
    assert main(argv) == 0
    assert "report written" in capsys.readouterr().out
    names = {p.name for p in out_dir.iterdir()}
    assert names == {
        "summary.json",
        "trades.csv",
        "blocked_trades.csv",
        "equity.png",
        "equity.html",
    }
    summary = json.loads((out_dir / "summary.json").read_text())
    assert summary["start"] == "2024-03-02T00:00:00Z"
    assert summary["end"] == "2024-03-08T23:55:00Z"
    assert summary["params"]["fast"] == 12
    trades = pd.read_csv(out_dir / "trades.csv")
    assert len(trades) == summary["fills"] > 0
    # floats are written to 10 significant digits (3.873429456, not 3.8734294562326377)
    cells = [
        c for row in (out_dir / "trades.csv").read_text().splitlines()[1:] for c in row.split(",")
    ]
    digits = [len(c.lstrip("-").replace(".", "").lstrip("0")) for c in cells if "." in c]
    assert digits and max(digits) <= 10
    assert trades["pnl"].sum() == pytest.approx(summary["final_equity"] - 10_000, abs=1e-4)
    assert (out_dir / "equity.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (out_dir / "equity.html").read_text()
    assert "<svg" in page and "<script src" not in page and "cdn" not in page.lower()
    assert '"2024-03-02T00:00:00Z"' in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--strategy", "nope"], "strategy 'nope': unknown"),
        (["--strategy", "ema_cross", "--param", "fast=40"], "bad parameters for ema_cross"),
        (
            ["--strategy", "ema_cross", "--param", "speed=3"],
            "unknown parameter speed for ema_cross (known: fast,",
        ),
        (["--strategy", "ema_cross", "--param", "fast"], "expected KEY=VALUE"),
        (["--strategy", "ema_cross", "--from", "2024-03-05", "--to", "2024-03-01"], "after"),
        (["--strategy", "ema_cross", "--from", "2030-01-01"], "no candles"),
        (["--strategy", "ema_cross", "--to", "someday"], "not an ISO date"),
        (["--strategy", "ema_cross", "--cash", "-1"], "--cash must be positive"),
        (["--strategy", "ema_cross", "--symbol", "ETH/USDT"], "holds BTC/USDT"),
    ],
)
def test_bad_input_one_line_exit_2(
    small_file: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*base(small_file), *extra]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert "Traceback" not in captured.err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*base("/nonexistent/binance_BTC-USDT_5m.csv.gz"), "--strategy", "ema_cross"]) == 2
    assert "no such file" in capsys.readouterr().err
