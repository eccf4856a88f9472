"""`tradebot optimize | walkforward | montecarlo` through the real CLI entry, on a
small slice of the shared BTC 1h file: JSON output, checkpoint resume, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from core.market.csv import read_candles, write_candles

FULL = "../shared/data/ohlcv/binance_BTC-USDT_1h.csv.gz"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "binance_BTC-USDT_1h.csv.gz"
    frame = read_candles(FULL)
    write_candles(frame[frame["timestamp"] >= 1_704_067_200_000].iloc[:1500], path)  # 2024
    return path


def argv(command: str, data: Path, *extra: str) -> list[str]:
    return [command, "--data", str(data), "--symbol", "BTC/USDT", "--timeframe", "1h", *extra]


FIXED = ["--param", "sl=0.02", "--param", "tp=0.04"]
SEARCH = ["--strategy", "ema_cross", *FIXED, "--space", "fast=5:20:5", "--space", "slow=30:90:30"]


def run_json(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict[str, Any]:
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_optimize_json_ranks_trials(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    out = run_json(
        capsys, argv("optimize", data, *SEARCH, "--method", "grid", "--workers", "1", "--json")
    )
    assert out["strategy"] == "ema_cross" and out["method"] == "grid"
    assert out["trials"] == out["trials_total"] == 12 and out["complete"]
    objectives = [row["objective"] for row in out["top"]]
    assert objectives == sorted(objectives, reverse=True) and len(objectives) == 5
    assert out["best_params"] == {k: out["top"][0][k] for k in ("fast", "slow")}
    assert set(out["sensitivity"]) == {"fast", "slow"}


def test_optimize_resumes_from_its_checkpoint(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    base = argv(
        "optimize", data, *SEARCH, "--trials", "6", "--seed", "3", "--workers", "1", "--json"
    )
    reference = run_json(capsys, base)
    ck = tmp_path / "opt.jsonl"
    first = run_json(capsys, [*base, "--checkpoint", str(ck)])
    assert first == reference
    header, *trials = ck.read_text().splitlines()
    assert len(trials) == 6
    # interrupted after three trials, the fourth line half written
    ck.write_text("\n".join([header, *trials[:3], trials[3][:15]]) + "\n")
    assert run_json(capsys, [*base, "--checkpoint", str(ck)]) == reference
    assert len(ck.read_text().splitlines()) == 1 + 6
    # a resumed run reads finished trials instead of running them again
    kept = json.loads(trials[0])
    kept["scores"]["objective"] = 99.0
    ck.write_text("\n".join([header, json.dumps(kept), *trials[1:3]]) + "\n")
    resumed = run_json(capsys, [*base, "--checkpoint", str(ck)])
    assert resumed["top"][0]["trial"] == kept["trial"] and resumed["top"][0]["objective"] == 99.0
    # another search on the same checkpoint is refused
    assert main([*base[:-1], "--seed", "4", "--json", "--checkpoint", str(ck)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "different search" in err and "\n" not in err


def test_walkforward_json(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    args = argv("walkforward", data, *SEARCH, "--train", "20d", "--test", "240", "--trials", "3")
    out = run_json(capsys, [*args, "--workers", "1", "--json"])
    # 1500 bars: IS 480 + OOS 240, stepping 240 -> windows starting at 0, 240, 480, 720
    assert out["summary"]["windows"] == 4 == len(out["windows"])
    w0, w1 = out["windows"][:2]
    assert w1["oos_start"] - w0["oos_start"] == 240 * 3_600_000
    assert w0["oos_start"] - w0["is_start"] == 480 * 3_600_000
    assert "total_return" in out["metrics"]


def test_montecarlo_json(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    args = argv("montecarlo", data, "--strategy", "ema_cross", "--sims", "200", "--json")
    shuffle = run_json(capsys, args)
    assert shuffle["n_sims"] == 200 and shuffle["n_trades"] > 5
    fe = shuffle["final_equity"]
    # shuffling cannot change the sum of the trades
    assert fe["5"] == pytest.approx(fe["95"]) == pytest.approx(shuffle["original_final_equity"])
    dd = shuffle["max_drawdown"]
    assert dd["5"] <= dd["50"] <= dd["95"]
    boot = run_json(capsys, [*args, "--method", "bootstrap", "--seed", "1"])
    assert boot["final_equity"]["5"] < boot["final_equity"]["95"]
    assert run_json(capsys, [*args, "--method", "bootstrap", "--seed", "1"]) == boot


@pytest.mark.parametrize(
    ("command", "extra", "message"),
    [
        ("optimize", ["--strategy", "moonshot"], "moonshot"),
        ("optimize", ["--strategy", "ema_cross", "--space", "fast=30:5"], "LOW is above HIGH"),
        ("optimize", ["--strategy", "ema_cross", "--trials", "0"], "--trials"),
        (
            "optimize",
            ["--strategy", "ema_cross", "--space", "fast=abc"],
            "--space 'fast=abc': 'abc' is not usable: fast and slow must be whole numbers",
        ),
        (
            "optimize",
            ["--strategy", "ema_cross", "--space", "nosuch=1:5"],
            "unknown parameter nosuch for ema_cross (known: fast, slow, sl, tp, direction)",
        ),
        (
            "walkforward",
            ["--strategy", "ema_cross", "--train", "90", "--test", "30", "--space", "slow=x,y"],
            "'x' is not usable",
        ),
        (
            "backtest",
            ["--strategy", "ema_cross", "--param", "nosuch=1"],
            "--param: unknown parameter nosuch for ema_cross (known: fast, slow, sl, tp, "
            "direction)",
        ),
        (
            "optimize",
            ["--strategy", "ema_cross", "--from", "2024-03-01", "--to", "2024-01-01"],
            "after",
        ),
        (
            "walkforward",
            ["--strategy", "ema_cross", "--train", "900", "--test", "900"],
            "cannot hold",
        ),
        ("walkforward", ["--strategy", "ema_cross", "--train", "ten", "--test", "9"], "--train"),
        ("montecarlo", ["--strategy", "ema_cross", "--sims", "0"], "--sims"),
        ("montecarlo", ["--strategy", "ema_cross", "--from", "2030-01-01"], "no candles"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], data: Path, command: str, extra: list[str], message: str
) -> None:
    assert main(argv(command, data, *extra)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    line = captured.err.strip()
    assert line.startswith("error: ") and message in line and "\n" not in line
