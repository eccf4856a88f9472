"""/portfolio: open paper positions marked to market, totals, and per-position
buttons to close or move the stop to the entry."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from handlers.paper_format import price_text, qty_text, signed_money_text, targets_text
from handlers.paper_keyboards import PositionCallback, positions_keyboard
from handlers.registry import CommandSpec
from handlers.render import escape, format_money
from handlers.trade import closed_text, error_text
from services.container import Services
from services.i18n import Translator
from services.paper.dto import Portfolio, TradeError
from services.paper.grammar import CloseRequest
from services.users import UserDTO

router = Router(name="paper.portfolio")

COMMANDS = [CommandSpec("portfolio", "cmd-portfolio")]


def portfolio_text(
    i18n: Translator, portfolio: Portfolio, ticks: Mapping[str, Decimal | None] | None = None
) -> str:
    """Positions marked to market; prices to each market's tick when known."""
    ticks = ticks or {}
    account = portfolio.account
    cur = account.currency
    lines = [i18n("portfolio-title"), ""]
    if not portfolio.positions:
        lines.append(i18n("portfolio-empty"))
    simulated = False
    for view in portfolio.positions:
        p = view.position
        tick = ticks.get(p.symbol)
        simulated = simulated or view.simulated or p.simulated
        lines.append(
            i18n(
                "portfolio-position",
                id=p.id,
                symbol=escape(p.symbol),
                side=i18n(f"side-{p.side}"),
                leverage=p.leverage,
                qty=qty_text(p.remaining_qty, p.symbol),
                entry=price_text(p.entry_price, tick),
                mark=price_text(view.mark, tick)
                if view.mark is not None
                else i18n("portfolio-no-mark"),
                upnl=signed_money_text(view.unrealized_pnl, cur)
                if view.unrealized_pnl is not None
                else i18n("portfolio-no-mark"),
                margin=format_money(p.locked_margin, cur),
                stop=price_text(p.stop, tick) if p.stop is not None else "—",
                targets=targets_text(p.targets[p.tps_hit :], tick),
            )
        )
        lines.append("")
    lines.append(
        i18n(
            "portfolio-totals",
            balance=format_money(account.balance, cur),
            unrealized=signed_money_text(portfolio.unrealized, cur),
            equity=format_money(portfolio.equity, cur),
            margin=format_money(account.used_margin, cur),
            free=format_money(account.free, cur),
        )
    )
    if simulated:
        lines.append(i18n("simulated-label"))
    return "\n".join(lines)


@router.message(Command("portfolio"))
async def portfolio_command(
    message: Message, user: UserDTO, i18n: Translator, services: Services
) -> None:
    portfolio = await services.paper.portfolio(user.id)
    markup = positions_keyboard(i18n, [v.position for v in portfolio.positions])
    ticks = await services.paper.price_ticks({v.position.symbol for v in portfolio.positions})
    await message.answer(portfolio_text(i18n, portfolio, ticks), reply_markup=markup)


@router.callback_query(PositionCallback.filter(F.action == "close"))
async def close_button(
    callback: CallbackQuery,
    callback_data: PositionCallback,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> None:
    if not isinstance(callback.message, Message):
        return
    await callback.answer()
    request = CloseRequest(
        all=False, symbol=None, position_id=callback_data.position_id, price=None
    )
    try:
        results = await services.paper.close(user.id, request)
    except TradeError as err:
        await callback.message.answer(error_text(i18n, err))
        return
    await callback.message.answer(await closed_text(i18n, services, user.id, results))


@router.callback_query(PositionCallback.filter(F.action == "be"))
async def breakeven_button(
    callback: CallbackQuery,
    callback_data: PositionCallback,
    user: UserDTO,
    i18n: Translator,
    services: Services,
) -> None:
    if not isinstance(callback.message, Message):
        return
    await callback.answer()
    try:
        position = await services.paper.move_stop_to_breakeven(user.id, callback_data.position_id)
    except TradeError as err:
        await callback.message.answer(error_text(i18n, err))
        return
    await callback.message.answer(
        i18n(
            "portfolio-breakeven-done",
            id=position.id,
            price=price_text(
                position.stop or position.entry_price, await services.paper.tick(position.symbol)
            ),
        )
    )
