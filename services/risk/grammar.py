"""`/flag set NAME [USER_ID] REASON` and `/flag clear NAME [USER_ID] [REASON]`."""

from __future__ import annotations

from dataclasses import dataclass

from core.risk.flags import parse_flag_name
from services.risk.dto import FlagError

MAX_REASON = 300


@dataclass(frozen=True, slots=True)
class FlagCommand:
    action: str  # set | clear
    name: str
    user_id: int | None  # None: global
    reason: str | None


def parse_flag_command(text: str | None) -> FlagCommand:
    """Raises FlagError("risk-flag-usage") for anything that is not a flag command."""
    parts = (text or "").split(maxsplit=3)
    if len(parts) < 2 or parts[0].lower() not in ("set", "clear"):
        raise FlagError("risk-flag-usage")
    action = parts[0].lower()
    name = parse_flag_name(parts[1])
    if name is None:
        raise FlagError("risk-flag-err-name", name=parts[1][:40])
    rest = parts[2:]  # [user id or first word, the rest of the reason]
    user_id = None
    if rest and rest[0].startswith("@"):  # only ids are unambiguous; never guess a user
        raise FlagError("risk-flag-err-user", user=rest[0][:40])
    if rest and rest[0].isdigit():
        user_id = int(rest[0])
        rest = rest[1:]
    reason = " ".join(rest).strip()[:MAX_REASON] or None
    if action == "set" and reason is None:
        raise FlagError("risk-flag-err-reason")
    return FlagCommand(action, name, user_id, reason)
