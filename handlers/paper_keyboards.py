"""Callback data and keyboards of paper trading.

Callback data carries ids only; every handler acts on the pressing user, and the
services look positions up by (user, id), so a forwarded button does nothing to
someone else's account.

SIGNALS puts the "Paper trade" button on a signal message with
`paper_trade_button(i18n_text, signal_id)`; pressing it shows a confirm step.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from services.i18n import Translator
from services.paper.dto import PositionDTO

MAX_POSITION_BUTTONS = 10


class PaperTradeCallback(CallbackData, prefix="ptr"):
    action: str  # "ask" (the signal's button) | "ok" (confirm) | "no" (cancel)
    signal_id: int


class PositionCallback(CallbackData, prefix="pos"):
    action: str  # "close" | "be" (stop to breakeven)
    position_id: int


def paper_trade_button(text: str, signal_id: int) -> InlineKeyboardButton:
    """The button SIGNALS attaches to a signal (text: their localized label)."""
    return InlineKeyboardButton(
        text=text, callback_data=PaperTradeCallback(action="ask", signal_id=signal_id).pack()
    )


def confirm_keyboard(i18n: Translator, signal_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("paper-confirm-yes"),
        callback_data=PaperTradeCallback(action="ok", signal_id=signal_id),
    )
    builder.button(
        text=i18n("paper-confirm-no"),
        callback_data=PaperTradeCallback(action="no", signal_id=signal_id),
    )
    builder.adjust(2)
    return builder.as_markup()


def positions_keyboard(
    i18n: Translator, positions: list[PositionDTO]
) -> InlineKeyboardMarkup | None:
    """Close and stop-to-entry buttons for the first positions of /portfolio."""
    if not positions:
        return None
    builder = InlineKeyboardBuilder()
    for p in positions[:MAX_POSITION_BUTTONS]:
        builder.button(
            text=i18n("portfolio-btn-close", id=p.id),
            callback_data=PositionCallback(action="close", position_id=p.id),
        )
        builder.button(
            text=i18n("portfolio-btn-breakeven", id=p.id),
            callback_data=PositionCallback(action="be", position_id=p.id),
        )
    builder.adjust(2)
    return builder.as_markup()
