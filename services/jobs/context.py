"""How a scheduled job reaches the running app.

Jobs are stored as text references ("module:func") with no arguments, so they
survive a persistent job store and never capture live objects; at run time they
call `current_services()`. The app sets it on start and clears it on shutdown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.container import Services

_current: Services | None = None


def set_current_services(services: Services | None) -> None:
    global _current
    _current = services


def current_services() -> Services:
    if _current is None:
        raise RuntimeError("no running app: current_services() is only valid inside the bot")
    return _current
