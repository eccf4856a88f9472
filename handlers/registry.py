"""The command registry: one list that feeds /help and Telegram's command menu.

Each handlers module exports `COMMANDS: list[CommandSpec]`; because help text and
`setMyCommands` are generated from the same specs, the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aiogram.fsm.state import State


@dataclass(frozen=True)
class CommandSpec:
    name: str  # without the slash: "settings"
    description_key: str  # Fluent key of the one-line description: "cmd-settings"
    admin: bool = False  # admin-only: hidden from others in /help and the menu
    args_key: str | None = None  # Fluent key of the argument synopsis: "<symbol> [tf]"


# FSM state name -> Fluent key answered when a command ends that waiting state
# (bot/middlewares/input_state.py), so leaving a flow is never silent.
LEAVE_NOTICES: dict[str, str] = {}


def notice_when_left(state: State, key: str) -> None:
    """A command sent while the chat waits in `state` is answered `key` first."""
    if state.state is None:
        raise ValueError("declare the state inside a StatesGroup first")
    LEAVE_NOTICES[state.state] = key


def visible_commands(commands: Iterable[CommandSpec], *, is_admin: bool) -> list[CommandSpec]:
    return [spec for spec in commands if is_admin or not spec.admin]


def check_unique(commands: Iterable[CommandSpec]) -> None:
    names = [spec.name for spec in commands]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"commands registered twice: {duplicates}")
