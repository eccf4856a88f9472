"""The CLI prints the catalog's words for the refusals the chat shows, never a raw
Fluent id or a tuple of its variables (QA defect 8)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.cli import main
from bot.commands.backfill import refused_lines
from services.paper.backfill import BackfillReport

DATA = "../shared/data/ohlcv/"


def test_signal_before_the_data_prints_the_english_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["signal", "BTC/USDT", "--data", DATA, "--at", "2010-01-01T00:00:00Z"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: There are no candles for BTC/USDT 1h right now. Please try again later."


def test_backfill_refusals_are_rendered_messages_with_counts() -> None:
    report = BackfillReport(1, 0, 0)
    report.refused = {"risk-refuse-margin": 20, "risk-blocked-trade": 39}
    report.refused_examples = {
        "risk-blocked-trade": {"flag": "maxdd_warning", "reason": "drawdown 15%"},
        "risk-refuse-margin": {
            "used": Decimal(400),
            "margin": Decimal("150.5"),
            "currency": "USDT",
            "pct": Decimal(50),
            "max": Decimal(500),
        },
    }
    lines = refused_lines(report)
    assert lines[0] == "refused: 59"
    assert lines[1].startswith("  39 x ⛔ New entries are blocked by the risk flag maxdd_warning")
    assert "Open positions are not affected." in lines[1]
    assert lines[2].startswith("  20 x ⛔ Used margin would be 400")
    text = "\n".join(lines)
    assert "risk-" not in text and "<" not in text and "{" not in text
    assert refused_lines(BackfillReport(1, 0, 0)) == ["refused: none"]


def test_signal_text_gives_reasons_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["signal", "BTC/USDT", "--data", DATA, "--at", "2023-06-01T00:00:00Z"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "regime trending down" in out
    assert "not issued: likely false breakout (score" in out
    assert "ema_stack_mixed" not in out and "false_breakout\n" not in out
