"""Admin commands (ADMIN_IDS only; to everyone else they do not exist: each sub-router
is an `admin_router`, so others fall through to the unknown-command answer)."""

from __future__ import annotations

from aiogram import Router

from handlers.admin import broadcast, health, lists, ops, users
from handlers.registry import CommandSpec

router = Router(name="admin")
router.include_routers(health.router, users.router, broadcast.router, lists.router, ops.router)

COMMANDS = [
    CommandSpec("admin", "cmd-admin", admin=True),
    CommandSpec("users", "cmd-users", admin=True, args_key="cmd-users-args"),
    CommandSpec("user", "cmd-user", admin=True, args_key="cmd-user-args"),
    CommandSpec("broadcast", "cmd-broadcast", admin=True, args_key="cmd-broadcast-args"),
    CommandSpec("blocklist", "cmd-blocklist", admin=True, args_key="cmd-list-args"),
    CommandSpec("whitelist", "cmd-whitelist", admin=True, args_key="cmd-list-args"),
    CommandSpec("jobs", "cmd-jobs", admin=True),
    CommandSpec("backup", "cmd-backup", admin=True),
]
