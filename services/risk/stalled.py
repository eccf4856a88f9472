"""The global `signals_stalled` flag: raised when no signal reached any user for
`risk_signals_stalled_hours` (48 h), cleared by the job when deliveries resume.

Reads the signals feature's delivery records (wall-clock `delivered_ms`); with no
delivery ever, the clock starts at the first user's arrival.
"""

from __future__ import annotations

from sqlalchemy import func, select

from services.db.engine import Database
from services.db.models.signals import SignalDelivery
from services.db.models.users import User
from services.risk.flags import FlagStore
from services.risk.text import utc_time

FLAG = "signals_stalled"
JOB = "job"
HOUR_MS = 3_600_000


async def last_delivery_ms(db: Database) -> int | None:
    async with db.session() as session:
        return await session.scalar(
            select(func.max(SignalDelivery.delivered_ms)).where(SignalDelivery.status == "sent")
        )


async def first_user_ms(db: Database) -> int | None:
    async with db.session() as session:
        first = await session.scalar(select(func.min(User.created_at)))
    return None if first is None else int(first.timestamp() * 1000)


async def check_signals_stalled(
    db: Database, flags: FlagStore, hours: int, now_ms: int
) -> bool | None:
    """True if the flag is (now) raised, False if not, None when there is no one yet."""
    last = await last_delivery_ms(db)
    since = last if last is not None else await first_user_ms(db)
    if since is None:
        return None
    stalled = now_ms - since >= hours * HOUR_MS
    active = await flags.active(FLAG, None)
    if stalled and active is None:
        await flags.set(
            FLAG,
            None,
            set_by=JOB,
            reason_key="risk-reason-signals-stalled",
            reason_params={"hours": str(hours), "last": "—" if last is None else utc_time(last)},
        )
    elif not stalled and active is not None and active.set_by == JOB:
        await flags.clear(FLAG, None, cleared_by=JOB, reason="deliveries resumed")
    return stalled
