"""Callback data factories and keyboards of the foundation handlers.

Callback data carries ids only (a language code, a setting key, an option index);
handlers re-check them against the catalogs and act on the pressing user.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.user_settings import RULES
from services.i18n import Catalog, Translator


class LangCallback(CallbackData, prefix="lang"):
    code: str
    back: bool = False  # return to the settings menu afterwards


class SettingsCallback(CallbackData, prefix="set"):
    action: str  # "menu" | "ask" | "pick" | "close"
    key: str = ""
    index: int = -1


SETTING_KEYS: tuple[str, ...] = (*RULES, "language")


def language_keyboard(
    catalog: Catalog, i18n: Translator | None = None, *, back: bool = False
) -> InlineKeyboardMarkup:
    """One button per catalog language, each labelled in its own language."""
    builder = InlineKeyboardBuilder()
    for locale in catalog.locales:
        name = catalog.translator(locale)("language-name")
        builder.button(text=name, callback_data=LangCallback(code=locale, back=back))
    if back:
        label = (i18n or catalog.translator(None))("settings-button-back")
        builder.button(text=label, callback_data=SettingsCallback(action="menu"))
    builder.adjust(len(catalog.locales), 1)
    return builder.as_markup()


def settings_keyboard(i18n: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for key in SETTING_KEYS:
        builder.button(
            text=i18n(f"settings-button-{key}"),
            callback_data=SettingsCallback(action="ask", key=key),
        )
    builder.button(
        text=i18n("settings-button-close"), callback_data=SettingsCallback(action="close")
    )
    builder.adjust(2)
    return builder.as_markup()


def choice_label(i18n: Translator, key: str, value: str) -> str:
    if key == "notify_mode":
        return i18n(f"notify-mode-{value}")
    if key == "preset":
        return i18n(f"preset-{value}")
    if key == "risk_per_trade":
        return f"{value}%"
    if key == "leverage":
        return f"x{value}"
    if key == "min_confidence":
        return f"{value}%"
    return value


def choices_keyboard(i18n: Translator, key: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    choices = RULES[key].choices
    for index, value in enumerate(choices):
        builder.button(
            text=choice_label(i18n, key, value),
            callback_data=SettingsCallback(action="pick", key=key, index=index),
        )
    builder.button(text=i18n("settings-button-back"), callback_data=SettingsCallback(action="menu"))
    per_row = 1 if key in ("preset", "notify_mode", "timezone") else len(choices)
    builder.adjust(*([per_row] * ((len(choices) + per_row - 1) // per_row)), 1)
    return builder.as_markup()
