"""services/risk/grammar.py: the /flag command grammar."""

from __future__ import annotations

import pytest

from services.risk.dto import FlagError
from services.risk.grammar import FlagCommand, parse_flag_command


def test_set_for_a_user_and_globally() -> None:
    assert parse_flag_command("set emergency_stop 1001 margin call  now") == FlagCommand(
        "set", "emergency_stop", 1001, "margin call  now"
    )
    assert parse_flag_command("SET Weak-Setup-Stop choppy") == FlagCommand(
        "set", "weak_setup_stop", None, "choppy"
    )


def test_clear_with_and_without_reason() -> None:
    assert parse_flag_command("clear daily_loss_stop 7") == FlagCommand(
        "clear", "daily_loss_stop", 7, None
    )
    assert parse_flag_command("clear signals_stalled feed back") == FlagCommand(
        "clear", "signals_stalled", None, "feed back"
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (None, "risk-flag-usage"),
        ("", "risk-flag-usage"),
        ("toggle emergency_stop", "risk-flag-usage"),
        ("set", "risk-flag-usage"),
        ("set panic 1 x", "risk-flag-err-name"),
        ("set emergency_stop 1001", "risk-flag-err-reason"),
        ("set emergency_stop", "risk-flag-err-reason"),
        ("set emergency_stop @bob why", "risk-flag-err-user"),
    ],
)
def test_refusals(text: str | None, key: str) -> None:
    with pytest.raises(FlagError) as info:
        parse_flag_command(text)
    assert info.value.key == key
