"""CLI failures the operator causes end in one readable line and a non-zero exit,
never a traceback (QA defect 7)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

BTC_1H = "../shared/data/ohlcv/binance_BTC-USDT_1h.csv.gz"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    database = tmp_path / "bot.db"
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def test_backup_into_an_impossible_folder_is_one_line(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = env / "afile"
    afile.write_text("x")
    assert main(["backup", "--dir", str(afile / "sub")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("backup failed: cannot write a backup into ")
    assert "backup-error" not in err and "{" not in err  # rendered, not a key and params
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_backtest_report_onto_a_file_is_refused_before_running(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = env / "afile"
    afile.write_text("keep me")
    args = ["backtest", "--data", BTC_1H, "--symbol", "BTC/USDT", "--timeframe", "1h"]
    args += ["--strategy", "ema_cross", "--report", str(afile)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"error: --report {afile}: {afile} is a file, not a folder"
    assert afile.read_text() == "keep me"


def test_migrate_to_an_unknown_revision_is_one_line(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate", "nosuchrev"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "migrate refused: Can't locate revision identified by 'nosuchrev'"


def test_output_cut_short_by_head_prints_no_traceback(env: Path) -> None:
    reader = "import sys; sys.stdin.readline()"  # reads one line, then closes the pipe
    cli = subprocess.Popen(
        [sys.executable, "-m", "bot", "signal", "history", "--data", BTC_1H, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    head = subprocess.run([sys.executable, "-c", reader], stdin=cli.stdout, check=True)
    assert head.returncode == 0
    assert cli.stdout is not None
    cli.stdout.close()
    _, err = cli.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()[-2000:]
    assert cli.returncode == 141


def test_audit_verify_of_a_missing_file_creates_nothing(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = env / "nonexist.db"
    assert main(["audit", "verify", "--database", str(missing)]) == 1
    assert capsys.readouterr().err.strip() == f"audit verify: no such database file: {missing}"
    assert not missing.exists()
    # a SQLite file that is not a tradebot database is named as such
    other = env / "bot.db"
    assert main(["audit", "verify", "--database", str(other)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "audit verify: cannot read the audit log: it has no audit log"


def test_restore_into_an_impossible_place_is_one_line(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["migrate"]) == 0  # a backup with a schema version restore accepts
    assert main(["backup", "--dir", str(env / "keep")]) == 0
    (backup,) = (env / "keep").glob("tradebot-*.db")
    capsys.readouterr()
    afile = env / "afile"
    afile.write_text("x")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{afile / 'sub' / 'bot.db'}")
    assert main(["restore", str(backup)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("restore refused: cannot restore into "), err
