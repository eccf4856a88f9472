"""/deposit: show, set (`1000`), add (`+200`) or withdraw (`-100`) the paper deposit."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from handlers.paper_format import money_text
from handlers.registry import CommandSpec
from handlers.render import format_money
from handlers.trade import error_text
from services.accounts.dto import AccountDTO, AccountError, LedgerEntryDTO
from services.accounts.grammar import parse_deposit
from services.accounts.numbers import NumberError
from services.container import Services
from services.i18n import Translator
from services.users import UserDTO

router = Router(name="paper.deposit")

COMMANDS = [CommandSpec("deposit", "cmd-deposit", args_key="cmd-deposit-args")]

HISTORY_LINES = 5


def summary_text(i18n: Translator, account: AccountDTO) -> str:
    cur = account.currency
    return i18n(
        "deposit-summary",
        deposit=format_money(account.deposit, cur),
        realized=format_money(account.realized_pnl, cur),
        fees=money_text(account.fees, cur),
        balance=format_money(account.balance, cur),
        margin=format_money(account.used_margin, cur),
        free=format_money(account.free, cur),
    )


def history_text(i18n: Translator, entries: list[LedgerEntryDTO], currency: str) -> str:
    lines = [i18n("deposit-history-title")]
    for e in entries:
        when = datetime.fromtimestamp(e.time_ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M")
        lines.append(
            i18n(
                "deposit-history-line",
                time=when,
                kind=i18n(f"deposit-kind-{e.kind}"),
                amount=format_money(e.amount, currency),
                deposit=format_money(e.deposit_after, currency),
            )
        )
    return "\n".join(lines)


@router.message(Command("deposit"))
async def deposit_command(
    message: Message, command: CommandObject, user: UserDTO, i18n: Translator, services: Services
) -> None:
    try:
        change = parse_deposit(command.args)
    except NumberError as err:
        await message.answer(error_text(i18n, err) + "\n\n" + i18n("deposit-usage"))
        return
    accounts = services.accounts
    if change.kind == "show":
        account = await accounts.get(user.id)
        if not account.exists:
            await message.answer(i18n("deposit-not-set") + "\n\n" + i18n("deposit-usage"))
            return
        entries = await accounts.ledger(user.id, limit=HISTORY_LINES)
        text = summary_text(i18n, account)
        if entries:
            text += "\n\n" + history_text(i18n, entries, account.currency)
        await message.answer(text)
        return
    try:
        account = await accounts.change(user.id, change)
    except AccountError as err:
        await message.answer(error_text(i18n, err))
        return
    head = i18n(
        f"deposit-changed-{change.kind}",
        amount=format_money(change.amount, account.currency),
        deposit=format_money(account.deposit, account.currency),
    )
    await message.answer(head + "\n\n" + summary_text(i18n, account))
