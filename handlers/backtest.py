"""/backtest SYMBOL [TIMEFRAME] [PRESET] [PERIOD] and /backtests.

Thin: the service checks and runs; this module renders. The progress message is
edited by a `ChatWatcher` while the run goes on in the process pool, then becomes
the result card (with the trades CSV button) and the chart follows as a photo.
Callback data carries only the run id; the service checks it against the user.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from handlers.backtest_view import render_card, render_list, render_progress, title
from handlers.registry import CommandSpec
from handlers.render import escape
from services.backtests import BacktestError, RunDTO, RunNotFound
from services.container import Services
from services.i18n import Translator
from services.users import UserDTO

log = logging.getLogger(__name__)

router = Router(name="backtest")

COMMANDS = [
    CommandSpec("backtest", "cmd-backtest", args_key="cmd-backtest-args"),
    CommandSpec("backtests", "cmd-backtests"),
]
LIST_LIMIT = 10


class BacktestCallback(CallbackData, prefix="bt"):
    action: str  # "cancel" | "csv" | "card"
    id: int


def _button(text: str, action: str, run_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=BacktestCallback(action=action, id=run_id).pack()
    )


def cancel_keyboard(run: RunDTO, i18n: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(i18n("backtest-button-cancel"), "cancel", run.id)]]
    )


def result_keyboard(run: RunDTO, i18n: Translator) -> InlineKeyboardMarkup | None:
    if run.status != "done":
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(i18n("backtest-button-csv"), "csv", run.id)]]
    )


class ChatWatcher:
    """Edits one chat message as a run progresses; sends the chart when it is done."""

    def __init__(self, bot: Bot, chat_id: int, i18n: Translator, services: Services) -> None:
        self.bot, self.chat_id, self.i18n, self.services = bot, chat_id, i18n, services
        self.message_id: int | None = None
        self._ready = asyncio.Event()

    def attach(self, message_id: int) -> None:
        """The progress message exists: edits may start."""
        self.message_id = message_id
        self._ready.set()

    async def _edit(self, text: str, markup: InlineKeyboardMarkup | None) -> None:
        await asyncio.wait_for(self._ready.wait(), timeout=30)
        try:
            await self.bot.edit_message_text(
                text=text, chat_id=self.chat_id, message_id=self.message_id, reply_markup=markup
            )
        except TelegramBadRequest as exc:
            if "not modified" not in str(exc):
                raise

    async def progress(self, run: RunDTO, fraction: float, phase: str) -> None:
        await self._edit(
            render_progress(run, fraction, phase, self.i18n), cancel_keyboard(run, self.i18n)
        )

    async def finished(self, run: RunDTO) -> None:
        await self._edit(render_card(run, self.i18n), result_keyboard(run, self.i18n))
        if run.status == "done":
            await send_chart(self.bot, self.chat_id, run, self.i18n, self.services)


async def send_chart(
    bot: Bot, chat_id: int, run: RunDTO, i18n: Translator, services: Services
) -> None:
    png = await services.backtests.artifact(run.id, run.user_id, "chart")
    await bot.send_photo(
        chat_id,
        BufferedInputFile(png, filename=f"backtest-{run.id}.png"),
        caption=i18n("backtest-chart-caption", title=title(run, i18n)),
    )


@router.startup()
async def _recover(services: Services) -> None:
    if services.backtests is not None:
        await services.backtests.recover()


def error_text(exc: BacktestError, i18n: Translator) -> str:
    """Strings (the user's own words among them) are escaped; numbers go to Fluent as
    numbers, so they are grouped alike everywhere and counts pick their plural form."""
    return i18n(
        exc.key, **{k: escape(v) if isinstance(v, str) else v for k, v in exc.params.items()}
    )


@router.message(Command("backtest"))
async def backtest_command(
    message: Message,
    command: CommandObject,
    bot: Bot,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> None:
    watcher = ChatWatcher(bot, message.chat.id, i18n, services)
    try:
        run = await services.backtests.submit(user.id, command.args, user.language, watcher)
    except BacktestError as exc:
        await message.answer(error_text(exc, i18n))
        return
    sent = await message.answer(
        render_progress(run, 0.0, "queued", i18n), reply_markup=cancel_keyboard(run, i18n)
    )
    watcher.attach(sent.message_id)


@router.message(Command("backtests"))
async def backtests_command(
    message: Message, user: UserDTO, i18n: Translator, services: Services
) -> None:
    runs = await services.backtests.list_runs(user.id, LIST_LIMIT)
    rows = [
        [_button(i18n("backtest-button-card", id=run.id), "card", run.id)]
        for run in runs
        if run.status == "done"
    ]
    markup = InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
    await message.answer(render_list(runs, i18n), reply_markup=markup)


@router.callback_query(BacktestCallback.filter(F.action == "cancel"))
async def cancel_button(
    callback: CallbackQuery,
    callback_data: BacktestCallback,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> None:
    if await services.backtests.cancel(callback_data.id, user.id):
        await callback.answer(i18n("backtest-cancelling"))
    else:
        await callback.answer(i18n("backtest-cannot-cancel"), show_alert=True)


async def _own_run(
    callback: CallbackQuery,
    data: BacktestCallback,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> RunDTO | None:
    try:
        run = await services.backtests.get(data.id, user.id)
    except RunNotFound:
        await callback.answer(i18n("backtest-not-found"), show_alert=True)
        return None
    await callback.answer()
    return run


@router.callback_query(BacktestCallback.filter(F.action == "csv"))
async def csv_button(
    callback: CallbackQuery,
    callback_data: BacktestCallback,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> None:
    run = await _own_run(callback, callback_data, user, i18n, services)
    if run is None or not isinstance(callback.message, Message):
        return
    data = await services.backtests.artifact(run.id, user.id, "trades")
    await callback.message.answer_document(
        BufferedInputFile(data, filename=f"backtest-{run.id}-trades.csv"),
        caption=i18n("backtest-csv-caption", title=title(run, i18n)),
    )


@router.callback_query(BacktestCallback.filter(F.action == "card"))
async def card_button(
    callback: CallbackQuery,
    callback_data: BacktestCallback,
    bot: Bot,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> None:
    run = await _own_run(callback, callback_data, user, i18n, services)
    if run is None or not isinstance(callback.message, Message):
        return
    await callback.message.answer(render_card(run, i18n), reply_markup=result_keyboard(run, i18n))
    if run.status == "done":
        await send_chart(bot, callback.message.chat.id, run, i18n, services)
