"""/settings: an inline menu over the user's trading and notification settings.

A setting is changed by a quick-pick button or, where the rule allows, by typing a
value; typed values go through core/user_settings.py and a bad one is answered
with the allowed range and changes nothing. The deposit is /deposit's business
(shown here from the accounts service).
"""

from __future__ import annotations

from decimal import Decimal

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from core.user_settings import RULES, InvalidSetting, parse_setting
from handlers.common.keyboards import (
    SettingsCallback,
    choices_keyboard,
    language_keyboard,
    settings_keyboard,
)
from handlers.registry import CommandSpec
from handlers.render import format_money
from services.container import Services
from services.i18n import Translator
from services.users import UserDTO

router = Router(name="common.settings")

COMMANDS = [CommandSpec("settings", "cmd-settings")]


class SettingsInput(StatesGroup):
    value = State()


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


async def deposit_line(user: UserDTO, i18n: Translator, services: Services) -> str:
    """The paper account's deposit (the accounts service is its only source), or a
    pointer to /deposit when the user never set one: never a made-up default."""
    account = await services.accounts.get(user.id) if services.accounts is not None else None
    if account is None or not account.exists or account.deposit <= 0:
        return i18n("settings-deposit-unset")
    return i18n("settings-deposit", deposit=format_money(account.deposit, account.currency))


async def settings_text(user: UserDTO, i18n: Translator, services: Services) -> str:
    catalog = services.i18n
    summary = i18n(
        "settings-summary",
        risk_per_trade=_plain(user.risk_per_trade),
        leverage=str(user.leverage),
        notify_mode=i18n(f"notify-mode-{user.notify_mode}"),
        min_confidence=str(user.min_confidence),
        preset=i18n(f"preset-{user.preset}")
        if catalog.has(f"preset-{user.preset}")
        else user.preset,
        timezone=user.timezone,
        language=catalog.translator(user.language)("language-name"),
    )
    deposit = await deposit_line(user, i18n, services)
    return f"{i18n('settings-title')}\n\n{summary}\n{deposit}\n\n{i18n('settings-pick')}"


async def show_menu(
    target: Message, user: UserDTO, i18n: Translator, services: Services, *, edit: bool
) -> None:
    text, markup = await settings_text(user, i18n, services), settings_keyboard(i18n)
    if edit:
        await target.edit_text(text, reply_markup=markup)
    else:
        await target.answer(text, reply_markup=markup)


def _ask_text(i18n: Translator, key: str) -> str:
    if key == "language":
        return i18n("settings-ask-language")
    limits = {name: str(value) for name, value in _limits(key).items()}
    return i18n(f"settings-ask-{key}", **limits)


def _limits(key: str) -> dict[str, object]:
    try:
        parse_setting(key, "\x00")
    except InvalidSetting as error:
        return error.limits
    return {}


@router.message(Command("settings"))
async def settings_command(
    message: Message, user: UserDTO, i18n: Translator, services: Services, state: FSMContext
) -> None:
    await state.clear()
    await show_menu(message, user, i18n, services, edit=False)


@router.callback_query(SettingsCallback.filter(F.action == "menu"))
async def back_to_menu(
    callback: CallbackQuery, user: UserDTO, i18n: Translator, services: Services, state: FSMContext
) -> None:
    await state.clear()
    if isinstance(callback.message, Message):
        await show_menu(callback.message, user, i18n, services, edit=True)


@router.callback_query(SettingsCallback.filter(F.action == "close"))
async def close_menu(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    if isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=None)


@router.callback_query(SettingsCallback.filter(F.action == "ask"))
async def ask_value(
    callback: CallbackQuery,
    callback_data: SettingsCallback,
    i18n: Translator,
    services: Services,
    state: FSMContext,
) -> None:
    key = callback_data.key
    if not isinstance(callback.message, Message):
        return
    if key == "language":
        markup: InlineKeyboardMarkup = language_keyboard(services.i18n, i18n, back=True)
    elif key in RULES:
        markup = choices_keyboard(i18n, key)
    else:
        await callback.answer(i18n("settings-invalid-choice"), show_alert=True)
        return
    if key in RULES and RULES[key].free_text:
        await state.set_state(SettingsInput.value)
        await state.update_data(setting=key, menu_message_id=callback.message.message_id)
    else:
        await state.clear()
    await callback.message.edit_text(_ask_text(i18n, key), reply_markup=markup)


async def _save(user: UserDTO, key: str, raw: str, services: Services) -> UserDTO:
    value = parse_setting(key, raw)
    return await services.users.update_settings(user.id, **{key: value})


@router.callback_query(SettingsCallback.filter(F.action == "pick"))
async def pick_value(
    callback: CallbackQuery,
    callback_data: SettingsCallback,
    user: UserDTO,
    i18n: Translator,
    services: Services,
    state: FSMContext,
) -> None:
    rule = RULES.get(callback_data.key)
    if rule is None or not 0 <= callback_data.index < len(rule.choices):
        await callback.answer(i18n("settings-invalid-choice"), show_alert=True)
        return
    updated = await _save(user, rule.key, rule.choices[callback_data.index], services)
    await state.clear()
    await callback.answer(i18n("settings-saved"))
    if isinstance(callback.message, Message):
        await show_menu(callback.message, updated, i18n, services, edit=True)


@router.message(StateFilter(SettingsInput.value), F.text, ~F.text.startswith("/"))
async def typed_value(
    message: Message, user: UserDTO, i18n: Translator, services: Services, state: FSMContext
) -> None:
    key = (await state.get_data()).get("setting", "")
    try:
        updated = await _save(user, key, message.text or "", services)
    except InvalidSetting as error:
        limits = {name: str(value) for name, value in error.limits.items()}
        invalid_key = f"settings-invalid-{error.key}"
        if not services.i18n.has(invalid_key):
            invalid_key = "settings-invalid-choice"
        await message.answer(i18n(invalid_key, **limits))
        return
    await state.clear()
    await message.answer(i18n("settings-saved"))
    await show_menu(message, updated, i18n, services, edit=False)
