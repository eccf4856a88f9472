"""Rules for the per-user settings edited in /settings.

Pure parsing and validation, so the handler, the service and the tests agree on
what a valid value is. Parsers take the raw text a user typed and either return
the normalised value or raise `InvalidSetting` naming the setting; nothing is
saved on failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core.numbers import strict_signed

NOTIFY_MODES: tuple[str, ...] = ("all", "strong", "off")
# Presets a user can pick for live signals; names match core/strategies/registry.py.
SIGNAL_PRESETS: tuple[str, ...] = ("composite", "scalper")
RISK_MIN, RISK_MAX = Decimal("0.1"), Decimal("5")
LEVERAGE_MIN, LEVERAGE_MAX = 1, 125
CONFIDENCE_MIN, CONFIDENCE_MAX = 0, 100


class InvalidSetting(ValueError):
    """A rejected value; `key` names the setting, `limits` feed the localized answer."""

    def __init__(self, key: str, **limits: Any) -> None:
        super().__init__(key)
        self.key = key
        self.limits = limits


def _number(text: str) -> Decimal:
    """Plain decimal notation only (core/numbers.py): no exponents, NaN or infinity."""
    cleaned = text.strip().removesuffix("%").removeprefix("x").strip()
    return strict_signed(cleaned, allow_comma=True, max_decimals=8)


def parse_risk_per_trade(text: str) -> Decimal:
    """Percent of the deposit risked per trade, e.g. "1", "0.5", "1,5%"."""
    try:
        value = _number(text)
    except ValueError:
        raise InvalidSetting("risk_per_trade", min=RISK_MIN, max=RISK_MAX) from None
    if not RISK_MIN <= value <= RISK_MAX or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidSetting("risk_per_trade", min=RISK_MIN, max=RISK_MAX)
    return value.normalize() if value == value.to_integral() else value


def parse_leverage(text: str) -> int:
    try:
        value = _number(text.lower())
    except ValueError:
        raise InvalidSetting("leverage", min=LEVERAGE_MIN, max=LEVERAGE_MAX) from None
    if value != value.to_integral() or not LEVERAGE_MIN <= value <= LEVERAGE_MAX:
        raise InvalidSetting("leverage", min=LEVERAGE_MIN, max=LEVERAGE_MAX)
    return int(value)


def parse_min_confidence(text: str) -> int:
    try:
        value = _number(text)
    except ValueError:
        raise InvalidSetting("min_confidence", min=CONFIDENCE_MIN, max=CONFIDENCE_MAX) from None
    if value != value.to_integral() or not CONFIDENCE_MIN <= value <= CONFIDENCE_MAX:
        raise InvalidSetting("min_confidence", min=CONFIDENCE_MIN, max=CONFIDENCE_MAX)
    return int(value)


def parse_notify_mode(text: str) -> str:
    value = text.strip().lower()
    if value not in NOTIFY_MODES:
        raise InvalidSetting("notify_mode")
    return value


def parse_preset(text: str) -> str:
    value = text.strip().lower()
    if value not in SIGNAL_PRESETS:
        raise InvalidSetting("preset")
    return value


def parse_timezone(text: str) -> str:
    """An IANA zone name ("Europe/Moscow"), matched case-insensitively, or UTC offsets
    are refused because they silently break with daylight saving."""
    raw = text.strip()
    if raw.upper() in ("UTC", "GMT", "Z"):
        return "UTC"
    by_lower = {name.lower(): name for name in available_timezones()}
    name = by_lower.get(raw.lower())
    if name is None:
        raise InvalidSetting("timezone")
    try:
        ZoneInfo(name)
    except ZoneInfoNotFoundError:
        raise InvalidSetting("timezone") from None
    return name


@dataclass(frozen=True)
class SettingRule:
    key: str
    parse: Any  # Callable[[str], value]
    choices: tuple[str, ...]  # quick-pick values shown as buttons
    free_text: bool  # whether a typed value is accepted


RULES: dict[str, SettingRule] = {
    "risk_per_trade": SettingRule(
        "risk_per_trade", parse_risk_per_trade, ("0.5", "1", "1.5", "2"), True
    ),
    "leverage": SettingRule("leverage", parse_leverage, ("1", "2", "3", "5", "10"), True),
    "notify_mode": SettingRule("notify_mode", parse_notify_mode, NOTIFY_MODES, False),
    "min_confidence": SettingRule(
        "min_confidence", parse_min_confidence, ("50", "60", "70", "80"), True
    ),
    "preset": SettingRule("preset", parse_preset, SIGNAL_PRESETS, False),
    "timezone": SettingRule(
        "timezone",
        parse_timezone,
        ("UTC", "Europe/London", "Europe/Moscow", "America/New_York", "Asia/Singapore"),
        True,
    ),
}


def parse_setting(key: str, text: str) -> Any:
    rule = RULES.get(key)
    if rule is None:
        raise InvalidSetting(key)
    return rule.parse(text)
