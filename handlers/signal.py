"""/signal SYMBOL [TIMEFRAME] and the buttons on a signal: Chart, Explain, Paper trade.

Thin: parse, call the signal service, render. Callback data carries only the signal
id; the service checks that the signal was shown to the pressing user.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from core.market.symbols import UnknownSymbol
from core.strategies.engine import config_for
from handlers.registry import CommandSpec
from handlers.render import escape
from services.container import Services
from services.i18n import Translator
from services.market.base import MarketDataError, UnsupportedTimeframe
from services.signals.dto import SignalDTO
from services.signals.errors import SignalError, SignalNotFound
from services.signals.format import render_signal
from services.signals.service import TIMEFRAMES
from services.users import UserDTO

try:  # the PAPER feature's button; without it the signal simply has no such button
    from handlers.paper_keyboards import paper_trade_button
except ImportError:  # pragma: no cover - only in builds without paper trading
    paper_trade_button = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

router = Router(name="signal")

COMMANDS = [CommandSpec("signal", "cmd-signal", args_key="cmd-signal-args")]


class SignalCallback(CallbackData, prefix="sig"):
    action: str  # "chart" | "explain"
    id: int


def signal_keyboard(signal: SignalDTO, i18n: Translator) -> InlineKeyboardMarkup:
    row = [
        InlineKeyboardButton(
            text=i18n("signal-button-chart"),
            callback_data=SignalCallback(action="chart", id=signal.id).pack(),
        ),
        InlineKeyboardButton(
            text=i18n("signal-button-explain"),
            callback_data=SignalCallback(action="explain", id=signal.id).pack(),
        ),
    ]
    rows = [row]
    if signal.issued and paper_trade_button is not None:
        rows.append([paper_trade_button(i18n("signal-button-paper"), signal.id)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


@router.startup()
async def _wire(bot: Bot, services: Services) -> None:
    """Give pushed signals the same buttons, and the shared send queue its Bot."""
    if services.signals is not None:
        services.signals.markup_factory = signal_keyboard
    if services.sender is not None and not services.sender.bound:
        services.sender.bind(bot)


def parse_args(args: str | None) -> tuple[str, str | None] | None:
    """`BTC/USDT`, `btc 4h`, `ETH/USDT 15m` -> (symbol text, timeframe or None)."""
    parts = (args or "").split()
    if not parts or len(parts) > 2:
        return None
    return parts[0], (parts[1] if len(parts) == 2 else None)


def error_text(i18n: Translator, exc: Exception, symbol: str, timeframe: str = "") -> str:
    if isinstance(exc, UnknownSymbol):
        if exc.suggestions:
            return i18n(
                "signal-unknown-symbol",
                symbol=escape(symbol),
                suggestions=", ".join(escape(s) for s in exc.suggestions),
            )
        return i18n("signal-unknown-symbol-none", symbol=escape(symbol))
    if isinstance(exc, SignalError):
        return i18n(exc.key, **{k: escape(v) for k, v in exc.params.items()})
    if isinstance(exc, UnsupportedTimeframe):
        choices = ", ".join(TIMEFRAMES)
        return i18n("signal-bad-timeframe", timeframe=escape(exc.timeframe), choices=choices)
    return i18n("signal-no-data", symbol=escape(symbol), timeframe=escape(timeframe))


@router.message(Command("signal"))
async def signal_command(
    message: Message,
    command: CommandObject,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> None:
    parsed = parse_args(command.args)
    if parsed is None:
        await message.answer(i18n("signal-usage"))
        return
    symbol_text, timeframe = parsed
    try:
        view = await services.signals.analyse(symbol_text, timeframe, user=user)
    except (UnknownSymbol, SignalError, MarketDataError) as exc:
        tf = timeframe or config_for(user.preset).timeframe
        await message.answer(error_text(i18n, exc, symbol_text, tf))
        return
    text = render_signal(
        view,
        i18n,
        deposit=await services.signals.deposit_of(user),
        risk_pct=user.risk_per_trade,
    )
    await message.answer(text, reply_markup=signal_keyboard(view.signal, i18n))


async def _pressed(
    callback: CallbackQuery,
    callback_data: SignalCallback,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> SignalDTO | None:
    """The pressed signal if it was shown to this user; otherwise say so (alert)."""
    try:
        signal = await services.signals.for_user(callback_data.id, user.id)
    except SignalNotFound:
        await callback.answer(i18n("signal-not-found"), show_alert=True)
        return None
    await callback.answer()
    return signal


@router.callback_query(SignalCallback.filter(F.action == "chart"))
async def chart_button(
    callback: CallbackQuery,
    callback_data: SignalCallback,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> None:
    signal = await _pressed(callback, callback_data, user, i18n, services)
    if signal is None or not isinstance(callback.message, Message):
        return
    try:
        png = await services.signals.chart(signal.id, user.language)
    except (SignalError, MarketDataError, ValueError):
        log.warning("chart for signal %s failed", signal.id, exc_info=True)
        await callback.message.answer(i18n("signal-chart-failed"))
        return
    await callback.message.answer_photo(
        BufferedInputFile(png, filename=f"signal-{signal.id}.png"),
        caption=services.signals.chart_caption(signal, i18n),
    )


@router.callback_query(SignalCallback.filter(F.action == "explain"))
async def explain_button(
    callback: CallbackQuery,
    callback_data: SignalCallback,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> None:
    signal = await _pressed(callback, callback_data, user, i18n, services)
    if signal is None or not isinstance(callback.message, Message):
        return
    explanation = await services.signals.explain(signal.id, user.language)
    if explanation.kind == "ai":
        title = i18n("signal-explain-ai", model=escape(explanation.model or "Claude"))
    else:
        title = i18n("signal-explain-fallback")
    await callback.message.answer(f"{title}\n\n{escape(explanation.text)}")
