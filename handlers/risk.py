"""/risk for everyone; /flags and /flag for admins only (for others they do not exist).

Thin: call `services.risk`, render. Flags block entries and signals, never close
positions, and /risk says so.
"""

from __future__ import annotations

from decimal import Decimal

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from core.risk.flags import FLAG_NAMES
from handlers.common.filters import admin_router
from handlers.registry import CommandSpec
from handlers.render import escape, format_money, format_percent, format_signed_money
from services.container import Services
from services.i18n import Translator
from services.risk.dto import FlagDTO, FlagError, RiskOverview
from services.risk.grammar import parse_flag_command
from services.risk.text import pct, utc_time
from services.users import UserDTO

router = Router(name="risk")
admin = admin_router("risk.admin")
router.include_router(admin)

COMMANDS = [
    CommandSpec("risk", "cmd-risk"),
    CommandSpec("flags", "cmd-flags", admin=True),
    CommandSpec("flag", "cmd-flag", admin=True, args_key="cmd-flag-args"),
]

HISTORY_LINES = 10


def scope_text(i18n: Translator, user_id: int | None) -> str:
    if user_id is None:
        return i18n("risk-scope-global")
    return i18n("risk-scope-user", user=str(user_id))  # an id, not a number to group


def reason_text(services: Services, i18n: Translator, flag: FlagDTO) -> str:
    return escape(services.risk.reason_text(flag, i18n.locale))


def flag_line(services: Services, i18n: Translator, flag: FlagDTO) -> str:
    return i18n(
        "risk-flag-line",
        icon="⛔" if flag.blocking else "⚠️",
        name=flag.name,
        title=i18n(f"risk-flag-{flag.name}"),
        scope=scope_text(i18n, flag.user_id),
        reason=reason_text(services, i18n, flag),
        by=escape(flag.set_by),
        when=utc_time(flag.set_ms),
    )


def overview_text(services: Services, i18n: Translator, o: RiskOverview) -> str:
    cur, lim = o.currency, o.limits
    shares = {
        "margin": lim.max_margin_share,
        "portfolio_risk": lim.max_portfolio_risk,
        "position_share": lim.max_position_share,
    }
    lines = [i18n("risk-title")]
    if o.deposit <= 0:
        lines.append(i18n("risk-no-deposit"))
    for u in o.usage:
        key = "risk-usage-" + u.name.replace("_", "-")
        if u.name in shares:
            lines.append(
                i18n(
                    key,
                    used=format_money(u.used, cur),
                    limit=format_money(u.limit, cur),
                    pct=pct(shares[u.name] * 100),
                )
            )
        else:
            lines.append(i18n(key, used=int(u.used), limit=int(u.limit)))
    lines.append(
        i18n("risk-correlation-rule", max=str(lim.max_correlation), days=lim.correlation_days)
    )
    if lim.trading_hours is None:
        lines.append(i18n("risk-hours-always"))
    else:
        start, end = lim.trading_hours
        lines.append(i18n("risk-hours-window", start=f"{start:02d}:00", end=f"{end % 24:02d}:00"))
    lines.append(i18n("risk-min-notional", min=format_money(lim.min_notional, cur)))
    lines += ["", i18n("risk-guard-title")]
    lines.append(
        i18n(
            "risk-streak",
            streak=o.streak,
            max=lim.sl_streak,
            hours=pct(Decimal(lim.sl_cooldown_ms) / 3_600_000),
        )
    )
    if o.pause_until_ms is not None:
        lines.append(i18n("risk-paused-until", until=utc_time(o.pause_until_ms)))
    lines.append(
        i18n(
            "risk-daily",
            pnl=format_signed_money(o.day_pnl, cur),
            limit=format_money(o.daily_limit, cur),
            pct=pct(lim.daily_loss_share * 100),
        )
    )
    lines.append(
        i18n(
            "risk-drawdown",
            dd=format_percent(o.drawdown * 100).rstrip("%"),
            peak=format_money(o.peak, cur),
            warn=pct(lim.maxdd_warning * 100),
            stop=pct(lim.maxdd_emergency * 100),
        )
    )
    lines += ["", i18n("risk-flags-title")]
    if not o.flags:
        lines.append(i18n("risk-flags-none"))
    lines += [flag_line(services, i18n, f) for f in o.flags]
    lines += ["", i18n("risk-note")]
    return "\n".join(lines)


@router.message(Command("risk"))
async def risk(message: Message, services: Services, user: UserDTO, i18n: Translator) -> None:
    overview = await services.risk.overview(user.id)
    await message.answer(overview_text(services, i18n, overview))


@admin.message(Command("flags"))
async def flags(message: Message, services: Services, i18n: Translator) -> None:
    active = await services.risk.flags.all_active()
    lines = [i18n("risk-flags-admin-title")]
    if not active:
        lines.append(i18n("risk-flags-none"))
    lines += [flag_line(services, i18n, f) for f in active]
    cleared = [f for f in await services.risk.flags.history(limit=HISTORY_LINES) if not f.active]
    if cleared:
        lines += ["", i18n("risk-flags-history-title")]
        for f in cleared:
            lines.append(
                i18n(
                    "risk-flag-history-line",
                    name=f.name,
                    scope=scope_text(i18n, f.user_id),
                    by=escape(f.set_by),
                    when=utc_time(f.set_ms),
                    cleared_by=escape(f.cleared_by or "—"),
                    cleared_when=utc_time(f.cleared_ms) if f.cleared_ms else "—",
                )
            )
    await message.answer("\n".join(lines))


@admin.message(Command("flag"))
async def flag(
    message: Message, command: CommandObject, services: Services, user: UserDTO, i18n: Translator
) -> None:
    names = ", ".join(FLAG_NAMES)
    try:
        cmd = parse_flag_command(command.args)
        scope = scope_text(i18n, cmd.user_id)
        if cmd.action == "set":
            flag, created = await services.risk.set_flag(
                cmd.name, cmd.user_id, cmd.reason or "", user.id
            )
            if not created:
                text = i18n(
                    "risk-flag-already",
                    name=flag.name,
                    scope=scope,
                    by=escape(flag.set_by),
                    when=utc_time(flag.set_ms),
                )
            else:
                text = i18n(
                    "risk-flag-set-done",
                    icon="⛔" if flag.blocking else "⚠️",
                    name=flag.name,
                    scope=scope,
                    reason=reason_text(services, i18n, flag),
                )
        else:
            await services.risk.clear_flag(cmd.name, cmd.user_id, user.id, cmd.reason)
            text = i18n("risk-flag-cleared-done", name=cmd.name, scope=scope)
    except FlagError as err:
        params = {k: escape(v) for k, v in err.params.items()}
        if err.key == "risk-flag-err-not-active":
            params["scope"] = scope_text(i18n, cmd.user_id)
        text = i18n(err.key, names=names, **params)
    await message.answer(text)
