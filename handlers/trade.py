"""/trade, /close and the Paper trade button of signals (with its confirm step).

Thin: parse, call `services.paper`, render. Every refusal is a Fluent key from the
grammar or the service and changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from decimal import Decimal

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from handlers.paper_format import (
    money_text,
    plain_number,
    price_text,
    qty_text,
    signed_money_text,
    targets_text,
)
from handlers.paper_keyboards import PaperTradeCallback, confirm_keyboard
from handlers.registry import CommandSpec
from handlers.render import escape, format_money, format_percent
from services.accounts.dto import Money, Price
from services.accounts.numbers import NumberError
from services.container import Services
from services.i18n import Translator
from services.paper.dto import CloseResult, OpenResult, TradeError
from services.paper.grammar import parse_close, parse_trade
from services.users import UserDTO

router = Router(name="paper.trade")

COMMANDS = [
    CommandSpec("trade", "cmd-trade", args_key="cmd-trade-args"),
    CommandSpec("close", "cmd-close", args_key="cmd-close-args"),
]

# What each target closes (core.fills.tp_close_qty: the last set target takes the rest).
TARGET_SHARES = {1: "100", 2: "50/50", 3: "50/30/20"}

# Keys of grammar errors after which the command's usage is worth repeating.
_USAGE_AFTER = {"trade-err-unexpected", "trade-err-side"}


def error_text(
    i18n: Translator, err: NumberError | TradeError, usage_key: str | None = None
) -> str:
    """Localized refusal: money and prices formatted, sides translated, user text
    escaped."""
    params = format_params(i18n, err.params)
    text = i18n(err.key, **params)
    if usage_key and err.key in _USAGE_AFTER:
        text += "\n\n" + i18n(usage_key)
    return text


def format_params(i18n: Translator, params: Mapping[str, object]) -> dict[str, str]:
    """`Money` with its currency in cents, `Price` to its tick, any other number as
    written (a limit of 100 reads "100", not a price "100.000")."""
    out: dict[str, str] = {}
    for name, value in params.items():
        if name == "side" and value in ("long", "short"):
            out[name] = i18n(f"side-{value}")
        elif isinstance(value, Money):
            out[name] = money_text(value.amount, value.currency)
        elif isinstance(value, Price):
            out[name] = price_text(value.value, value.tick)
        elif isinstance(value, (Decimal, float)):
            out[name] = plain_number(Decimal(str(value)))
        else:
            out[name] = escape(value)
    return out


def render_open(i18n: Translator, result: OpenResult, tick: Decimal | None = None) -> str:
    """The opened position; prices to the market tick `tick` when it is known."""
    p = result.position
    cur = result.account.currency
    if result.duplicate:
        head = i18n("trade-duplicate-title", id=p.id)
    else:
        head = i18n("trade-opened-title", id=p.id)
    lines = [
        head,
        i18n(
            "trade-opened",
            symbol=escape(p.symbol),
            side=i18n(f"side-{p.side}"),
            leverage=p.leverage,
            kind=i18n(f"kind-{p.kind}"),
            entry=price_text(p.entry_price, tick),
            qty=qty_text(p.qty, p.symbol),
            notional=format_money(result.notional, cur),
            margin=format_money(p.margin, cur),
            fee=money_text(result.entry_fee, cur),
        ),
    ]
    if p.liquidation_price is not None:
        lines.append(i18n("trade-liquidation", price=price_text(p.liquidation_price, tick)))
    if p.stop is not None:
        lines.append(i18n("trade-stop", price=price_text(p.stop, tick)))
    else:
        lines.append(i18n("trade-no-stop"))
    if p.targets:
        shares = TARGET_SHARES[min(len(p.targets), 3)]
        lines.append(i18n("trade-targets", targets=targets_text(p.targets, tick), shares=shares))
    if p.risk_amount is not None and result.risk_pct is not None:
        lines.append(
            i18n(
                "trade-risk",
                risk=format_money(p.risk_amount, cur),
                pct=format_percent(result.risk_pct).rstrip("%"),
            )
        )
    if not result.duplicate:
        lines.append(i18n("trade-levels-" + result.level_source.replace("_", "-")))
    lines.append(
        i18n(
            "trade-balance",
            balance=format_money(result.account.balance, cur),
            free=format_money(result.account.free, cur),
        )
    )
    if p.simulated:
        lines.append(i18n("simulated-label"))
    return "\n".join(lines)


def render_close(
    i18n: Translator, result: CloseResult, currency: str = "USDT", tick: Decimal | None = None
) -> str:
    p = result.position
    fill = result.fill
    if fill is None:
        return i18n("close-already", id=p.id)
    return i18n(
        "close-done",
        id=p.id,
        symbol=escape(p.symbol),
        side=i18n(f"side-{p.side}"),
        qty=qty_text(fill.qty, p.symbol),
        price=price_text(fill.price, tick),
        manual=i18n("close-manual") if fill.manual else "",
        pnl=signed_money_text(p.realized_pnl, currency),
        fees=money_text(p.fees, currency),
        net=signed_money_text(p.net_pnl, currency),
    )


async def closed_text(
    i18n: Translator, services: Services, user_id: int, results: list[CloseResult]
) -> str:
    """One line per closed position and the balance after."""
    account = await services.accounts.get(user_id)
    ticks = await services.paper.price_ticks({r.position.symbol for r in results})
    lines = [render_close(i18n, r, account.currency, ticks.get(r.position.symbol)) for r in results]
    lines.append(i18n("close-balance", balance=format_money(account.balance, account.currency)))
    if any(r.position.simulated for r in results if r.fill is not None):
        lines.append(i18n("simulated-label"))
    return "\n".join(lines)


@router.message(Command("trade"))
async def trade_command(
    message: Message, command: CommandObject, user: UserDTO, i18n: Translator, services: Services
) -> None:
    try:
        request = parse_trade(command.args)
    except NumberError as err:
        await message.answer(error_text(i18n, err, "trade-usage"))
        return
    key = f"msg:{message.chat.id}:{message.message_id}"
    try:
        result = await services.paper.open_trade(user.id, request, key)
    except TradeError as err:
        await message.answer(error_text(i18n, err))
        return
    tick = await services.paper.tick(result.position.symbol)
    await message.answer(render_open(i18n, result, tick))


@router.message(Command("close"))
async def close_command(
    message: Message, command: CommandObject, user: UserDTO, i18n: Translator, services: Services
) -> None:
    try:
        request = parse_close(command.args)
        results = await services.paper.close(user.id, request)
    except (NumberError, TradeError) as err:
        await message.answer(error_text(i18n, err))
        return
    await message.answer(await closed_text(i18n, services, user.id, results))


# -- the Paper trade button on a signal -----------------------------------------------


@router.callback_query(PaperTradeCallback.filter(F.action == "ask"))
async def paper_trade_ask(
    callback: CallbackQuery,
    callback_data: PaperTradeCallback,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> None:
    """Show what would be opened, with Open / Cancel."""
    if not isinstance(callback.message, Message):
        return
    try:
        plan = await services.paper.plan_signal_trade(user.id, callback_data.signal_id)
    except TradeError as err:
        await callback.answer()
        await callback.message.answer(error_text(i18n, err))
        return
    account = await services.accounts.get(user.id)
    spec = plan.spec
    tick = await services.paper.tick(spec.symbol)
    text = i18n(
        "paper-confirm",
        signal=callback_data.signal_id,
        symbol=escape(spec.symbol),
        side=i18n(f"side-{spec.side}"),
        leverage=spec.leverage,
        qty=qty_text(spec.qty or Decimal(0), spec.symbol),
        price=price_text(plan.entry, tick),
        margin=format_money(plan.margin, account.currency),
        stop=price_text(spec.stop, tick) if spec.stop is not None else "—",
        targets=targets_text(spec.targets, tick),
        risk=format_money(plan.risk_amount, account.currency),
    )
    if plan.quote.simulated:
        text += "\n" + i18n("simulated-label")
    await callback.answer()
    await callback.message.answer(
        text, reply_markup=confirm_keyboard(i18n, callback_data.signal_id)
    )


@router.callback_query(PaperTradeCallback.filter(F.action == "ok"))
async def paper_trade_confirm(
    callback: CallbackQuery,
    callback_data: PaperTradeCallback,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> None:
    """Open it. The request key is the (signal, user) pair, so a double tap, a retried
    update or a second confirm message all land on the same single position. Whatever
    the outcome, the confirm message loses its buttons: it has been answered."""
    if not isinstance(callback.message, Message):
        return
    key = f"signal:{callback_data.signal_id}:user:{user.id}"
    try:
        result = await services.paper.open_from_signal(user.id, callback_data.signal_id, key)
    except TradeError as err:
        await callback.answer()
        await _drop_buttons(callback.message)
        await callback.message.answer(error_text(i18n, err))
        return
    if result.duplicate:
        notice = i18n("trade-duplicate-title", id=result.position.id)
        await callback.answer(notice[:190])
        with contextlib.suppress(TelegramBadRequest):  # already edited by the first press
            await callback.message.edit_text(notice, reply_markup=None)
        return
    await callback.answer(i18n("paper-opening"))
    await _drop_buttons(callback.message)
    tick = await services.paper.tick(result.position.symbol)
    await callback.message.answer(render_open(i18n, result, tick))


async def _drop_buttons(message: Message) -> None:
    with contextlib.suppress(TelegramBadRequest):  # the markup may be gone already
        await message.edit_reply_markup(reply_markup=None)


@router.callback_query(PaperTradeCallback.filter(F.action == "no"))
async def paper_trade_cancel(callback: CallbackQuery, i18n: Translator) -> None:
    await callback.answer()
    if isinstance(callback.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await callback.message.edit_text(i18n("paper-cancelled"))
