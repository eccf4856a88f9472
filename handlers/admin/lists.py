"""/blocklist and /whitelist: add, remove, list symbols (MARKET's universe service
stores them; changes are audited there)."""

from __future__ import annotations

from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from core.market.symbols import UnknownSymbol, normalize_symbol_text
from handlers.common.filters import admin_router
from handlers.render import escape
from services.container import Services
from services.i18n import Translator

router = admin_router("admin.lists")
KINDS = {"blocklist": "block", "whitelist": "white"}
NOTE_MAX = 100


def parse_list_args(args: str | None) -> tuple[str, str | None, str | None] | None:
    """`` -> list; `add SYMBOL [note]`; `remove SYMBOL` (also `rm`, `del`)."""
    parts = (args or "").split(maxsplit=2)
    if not parts or parts[0].lower() in ("list", "ls"):
        return ("list", None, None) if len(parts) <= 1 else None
    action = {"add": "add", "remove": "remove", "rm": "remove", "del": "remove"}.get(
        parts[0].lower()
    )
    if action is None or len(parts) < 2 or len(parts[1]) > 40:
        return None
    note = parts[2][:NOTE_MAX] if len(parts) == 3 and action == "add" else None
    if action == "remove" and len(parts) == 3:
        return None
    return action, parts[1], note


@router.message(Command("blocklist", "whitelist"))
async def symbol_list(
    message: Message, command: CommandObject, i18n: Translator, services: Services
) -> None:
    kind = KINDS[command.command.lower()]
    universe = services.market.universe if services.market is not None else None
    if universe is None:
        await message.answer(i18n("admin-list-unavailable"))
        return
    parsed = parse_list_args(command.args)
    if parsed is None:
        await message.answer(i18n("admin-list-usage", command=command.command))
        return
    action, symbol, note = parsed
    if action == "list":
        items = await universe.list(kind)
        if not items:
            await message.answer(i18n(f"admin-list-empty-{kind}"))
            return
        lines = [i18n(f"admin-list-title-{kind}", count=len(items))]
        lines += [
            f"• <code>{escape(i.symbol)}</code>" + (f" — {escape(i.note)}" if i.note else "")
            for i in items
        ]
        await message.answer("\n".join(lines))
        return
    assert symbol is not None
    try:
        if action == "add":
            changed = await universe.add(kind, symbol, user_id=message.from_user.id, note=note)
        else:
            changed = await universe.remove(kind, symbol)
    except UnknownSymbol as exc:
        hint = ", ".join(escape(s) for s in exc.suggestions[:5]) or "—"
        await message.answer(i18n("admin-list-unknown", symbol=escape(symbol), suggestions=hint))
        return
    key = f"admin-list-{action}-{'ok' if changed else 'noop'}"
    shown = unified_text(symbol, services.settings.universe_quote)
    await message.answer(i18n(key, symbol=escape(shown), list=i18n(f"admin-list-{kind}")))


def unified_text(symbol: str, quote: str) -> str:
    """The symbol as the list stores it ("doge" -> "DOGE/USDT"), for the reply."""
    try:
        return normalize_symbol_text(symbol, default_quote=quote)
    except UnknownSymbol:
        return symbol.upper()
