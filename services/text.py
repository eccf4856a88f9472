"""Wording shared by services and handlers: durations in the reader's units.

Services word some user-visible text themselves (data labels, notices) and must not
import handlers, so the duration wording lives here; handlers/render.py re-exports it.
"""

from __future__ import annotations

from collections.abc import Callable


def format_duration(seconds: float, i18n: Callable[..., str]) -> str:
    """An uptime, a wait or an age in the reader's units: "2d 3h 5m" / "2 д 3 ч 5 мин"."""
    minutes, secs = divmod(max(int(seconds), 0), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return i18n("duration-dhm", d=days, h=hours, m=minutes)
    if hours:
        return i18n("duration-hm", h=hours, m=minutes)
    return i18n("duration-ms", m=minutes, s=secs)
