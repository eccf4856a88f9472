"""A command always leaves a waiting-for-input state.

Flows such as /settings ("type a value") or /broadcast ("send the text") park the
chat in an FSM state and read the next plain message. Without this middleware a
command sent meanwhile (/help, /portfolio) was answered but the state stayed, so the
bot kept asking for the value. Here every command first ends the waiting state, then
reaches its handler exactly as it would outside the flow. Stored FSM data is kept
(only the state is left); each flow resets its own data when it starts again.
A flow whose leaving loses something (a broadcast draft) registers a notice with
`handlers.registry.notice_when_left`; it is answered before the command runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject

from handlers.registry import LEAVE_NOTICES


def is_command(message: Message) -> bool:
    text = message.text or message.caption or ""
    return text.startswith("/") and len(text) > 1 and not text[1].isspace()


class CommandLeavesInput(BaseMiddleware):
    """Message outer middleware; registered after the guard, so dropped or refused
    input leaves the state as it was."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state: FSMContext | None = data.get("state")
        if (
            state is not None
            and data.get("raw_state") is not None
            and isinstance(event, Message)
            and is_command(event)
        ):
            notice = LEAVE_NOTICES.get(data["raw_state"])
            await state.set_state(None)
            data["raw_state"] = None  # what StateFilter reads while routing this update
            if notice is not None:
                await event.answer(data["i18n"](notice))
        return await handler(event, data)
