"""/users [QUERY], /user ID and its buttons: block/unblock, set/clear risk flags."""

from __future__ import annotations

from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.numbers import strict_int
from handlers.admin.format import when
from handlers.admin.keyboards import UserAction
from handlers.common.filters import admin_router
from handlers.paper_format import plain_number, qty_text
from handlers.render import escape, format_money, format_price
from services.admin.directory import UserDetails, details, search
from services.container import Services
from services.i18n import Translator
from services.users import UserDTO

router = admin_router("admin.users")
MAX_USER_ID = 10**15


def flag_names() -> tuple[str, ...]:
    try:
        from core.risk.flags import FLAG_NAMES
    except ImportError:  # a build without the risk feature
        return ()
    return FLAG_NAMES


def parse_user_id(text: str | None) -> int | None:
    return strict_int((text or "").strip().lstrip("#"), low=1, high=MAX_USER_ID - 1)


def user_line(user: UserDTO, i18n: Translator, blocked_ids: frozenset[int]) -> str:
    marks = []
    if user.is_blocked:
        marks.append(i18n("admin-user-mark-blocked-bot"))
    if user.id in blocked_ids:
        marks.append(i18n("admin-user-mark-blocked"))
    return i18n(
        "admin-users-line",
        id=str(user.id),
        username=escape(f"@{user.username}" if user.username else "—"),
        name=escape(user.first_name or "—"),
        lang=user.language,
        seen=when(user.last_seen_at),
        marks=" ".join(marks),
    )


@router.message(Command("users"))
async def users_list(
    message: Message, command: CommandObject, i18n: Translator, services: Services
) -> None:
    found = await search(services, command.args)
    if not found:
        await message.answer(i18n("admin-users-none", query=escape(command.args or "")))
        return
    blocked = services.admin.blocks.ids
    lines = [i18n("admin-users-title", count=len(found))]
    lines += [user_line(u, i18n, blocked) for u in found]
    lines.append(i18n("admin-users-hint"))
    await message.answer("\n".join(lines))


def _label(i18n: Translator, prefix: str, value: str) -> str:
    """A stored setting's word in the reader's language ("notify-mode-all"), else as stored."""
    key = f"{prefix}-{value}"
    return i18n(key) if i18n.catalog.has(key, i18n.locale) else escape(value)


def render_user(d: UserDetails, i18n: Translator) -> str:
    u = d.user
    lines = [
        i18n("admin-user-title", id=str(u.id), name=escape(u.first_name or "—"),
             username=escape(f"@{u.username}" if u.username else "—")),
        i18n("admin-user-seen", created=when(u.created_at), seen=when(u.last_seen_at)),
        i18n("admin-user-settings", lang=u.language, tz=escape(u.timezone),
             risk=plain_number(u.risk_per_trade), leverage=str(u.leverage),
             notify=_label(i18n, "notify-mode", u.notify_mode),
             confidence=str(u.min_confidence), preset=_label(i18n, "preset", u.preset)),
    ]  # fmt: skip
    if d.account is not None and d.account.exists:
        lines.append(i18n("admin-user-account", deposit=format_money(d.account.deposit),
                          balance=format_money(d.account.balance),
                          margin=format_money(d.account.used_margin)))  # fmt: skip
    else:
        lines.append(i18n("admin-user-no-account"))
    lines.append(i18n("admin-user-positions", count=len(d.positions)))
    for p in d.positions[:10]:
        lines.append(i18n("admin-user-position", id=str(p.id), symbol=escape(p.symbol),
                          side=_label(i18n, "side", p.side),
                          qty=qty_text(p.remaining_qty, p.symbol),
                          entry=format_price(p.entry_price)))  # fmt: skip
    flags = ", ".join(escape(f.name) for f in d.flags) or "—"
    state = []
    if u.is_blocked:
        state.append(i18n("admin-user-mark-blocked-bot"))
    if d.admin_blocked:
        state.append(i18n("admin-user-mark-blocked"))
    lines.append(i18n("admin-user-flags", flags=flags, state=" ".join(state) or "—"))
    if d.history:
        lines.append(i18n("admin-user-history"))
        for rec in d.history:
            lines.append(f"• {escape(rec.event)} · {escape(rec.actor)} · #{rec.seq}")
    return "\n".join(lines)


def user_keyboard(d: UserDetails, i18n: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    uid = d.user.id
    if d.admin_blocked:
        builder.button(text=i18n("admin-btn-unblock"),
                       callback_data=UserAction(action="unblock", user_id=uid))  # fmt: skip
    else:
        builder.button(text=i18n("admin-btn-block"),
                       callback_data=UserAction(action="block", user_id=uid))  # fmt: skip
    active = {f.name for f in d.flags}
    for index, name in enumerate(flag_names()):
        on = name in active
        builder.button(
            text=i18n("admin-btn-flag-clear" if on else "admin-btn-flag-set", flag=name),
            callback_data=UserAction(
                action="flag_clear" if on else "flag_set", user_id=uid, flag=index
            ),
        )
    builder.adjust(1, 2)
    return builder.as_markup()


async def show_user(message: Message, user_id: int, i18n: Translator, services: Services) -> None:
    d = await details(services, user_id)
    if d is None:
        await message.answer(i18n("admin-user-not-found", id=str(user_id)))
        return
    await message.answer(render_user(d, i18n), reply_markup=user_keyboard(d, i18n))


@router.message(Command("user"))
async def user_card(
    message: Message, command: CommandObject, i18n: Translator, services: Services
) -> None:
    user_id = parse_user_id(command.args)
    if user_id is None:
        await message.answer(i18n("admin-user-usage"))
        return
    await show_user(message, user_id, i18n, services)


@router.callback_query(UserAction.filter())
async def user_action(
    callback: CallbackQuery,
    callback_data: UserAction,
    i18n: Translator,
    services: Services,
) -> None:
    admin_id = callback.from_user.id
    uid = callback_data.user_id
    if await services.users.get(uid) is None:
        await callback.answer(i18n("admin-user-not-found", id=str(uid)), show_alert=True)
        return
    action = callback_data.action
    if action == "block":
        await services.admin.blocks.block(uid, admin_id, reason="admin button")
        note = i18n("admin-user-blocked", id=str(uid))
    elif action == "unblock":
        await services.admin.blocks.unblock(uid, admin_id)
        note = i18n("admin-user-unblocked", id=str(uid))
    elif action in ("flag_set", "flag_clear"):
        names = flag_names()
        if services.risk is None or not 0 <= callback_data.flag < len(names):
            await callback.answer(i18n("admin-flag-unavailable"), show_alert=True)
            return
        name = names[callback_data.flag]
        try:
            if action == "flag_set":
                await services.risk.set_flag(name, uid, "set by an admin", admin_id)
                note = i18n("admin-flag-set", flag=name, id=str(uid))
            else:
                await services.risk.clear_flag(name, uid, admin_id, "cleared by an admin")
                note = i18n("admin-flag-cleared", flag=name, id=str(uid))
        except LookupError:
            note = i18n("admin-flag-unavailable")
        except Exception as exc:  # RISK's FlagError carries a Fluent key
            key = getattr(exc, "key", None)
            if key is None:
                raise
            note = i18n(key, **getattr(exc, "params", {}))
    else:
        await callback.answer(i18n("callback-expired"))
        return
    await callback.answer(note[:190])
    d = await details(services, uid)
    if d is not None and callback.message is not None:
        await callback.message.edit_text(render_user(d, i18n), reply_markup=user_keyboard(d, i18n))
