"""/start, /help and /lang."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from handlers.common.keyboards import LangCallback, language_keyboard
from handlers.common.settings import show_menu
from handlers.registry import CommandSpec, visible_commands
from handlers.render import escape
from services.container import Services
from services.i18n import Translator
from services.users import UserDTO

router = Router(name="common.start")

COMMANDS = [
    CommandSpec("start", "cmd-start"),
    CommandSpec("help", "cmd-help"),
    CommandSpec("lang", "cmd-lang"),
]


@router.message(CommandStart())
async def start(
    message: Message, user: UserDTO, i18n: Translator, services: Services, state: FSMContext
) -> None:
    await state.clear()
    name = escape(user.first_name or user.username or "")
    text = "\n\n".join(
        [
            i18n("start-greeting", name=name).replace(", !", "!"),
            i18n("start-howto"),
            i18n("start-choose-language"),
        ]
    )
    await message.answer(text, reply_markup=language_keyboard(services.i18n))


def help_text(i18n: Translator, commands: list[CommandSpec], *, is_admin: bool) -> str:
    """The /help body: one line per command the user may run, from the registry."""

    def line(spec: CommandSpec) -> str:
        args = f" {escape(i18n(spec.args_key))}" if spec.args_key else ""
        return f"/{spec.name}{args} — {i18n(spec.description_key)}"

    shown = visible_commands(commands, is_admin=is_admin)
    lines = [i18n("help-title"), *(line(s) for s in shown if not s.admin)]
    admin = [line(s) for s in shown if s.admin]
    if admin:
        lines += ["", i18n("help-admin-title"), *admin]
    if any(spec.args_key for spec in shown):
        lines += ["", i18n("help-footer")]
    return "\n".join(lines)


@router.message(Command("help"))
async def help_command(
    message: Message, i18n: Translator, commands: list[CommandSpec], is_admin: bool
) -> None:
    await message.answer(help_text(i18n, commands, is_admin=is_admin))


@router.message(Command("lang"))
async def lang_command(message: Message, i18n: Translator, services: Services) -> None:
    await message.answer(i18n("lang-choose"), reply_markup=language_keyboard(services.i18n))


@router.callback_query(LangCallback.filter())
async def lang_chosen(
    callback: CallbackQuery, callback_data: LangCallback, user: UserDTO, services: Services
) -> None:
    """A language button from /start, /lang or the settings menu (`back`)."""
    catalog = services.i18n
    if callback_data.code not in catalog.locales:
        await callback.answer(catalog.translator(user.language)("settings-invalid-choice"))
        return
    updated = await services.users.update_settings(user.id, language=callback_data.code)
    i18n = catalog.translator(updated.language)
    await callback.answer(i18n("lang-changed"))
    if not isinstance(callback.message, Message):
        return
    if callback_data.back:
        await show_menu(callback.message, updated, i18n, services, edit=True)
    else:
        await callback.message.answer(i18n("lang-changed"))
