"""ReportService: /stats per trade mode, /export, and the digest run.

Digests go out at each user's local `digest_hour` (their /settings time zone): the
daily one covers the previous local day, the weekly one (on `digest_weekday`, Monday
by default) the previous seven local days. A digest is claimed in `digests_sent`
before it is queued, so a rerun, a restart or a second scheduler never sends it
twice; a period with no fill and no open position is recorded as skipped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.notify import Priority, SendResult
from services.paper.dto import FillDTO, PositionDTO
from services.reports.chart import equity_png
from services.reports.digest import build_digest
from services.reports.export import fills_csv, positions_csv
from services.reports.ledger import DigestLedger
from services.reports.render import digest_text
from services.reports.stats import ModeStats, mode_stats

log = logging.getLogger(__name__)

MODES = ("live", "paper", "backfill")


@dataclass(frozen=True, slots=True)
class ExportFiles:
    positions: bytes
    fills: bytes
    n_positions: int
    n_fills: int


@dataclass(frozen=True, slots=True)
class DigestRun:
    sent: int
    skipped: int
    already: int


def user_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_midnight_ms(day: date, zone: ZoneInfo) -> int:
    return int(datetime.combine(day, time(0), tzinfo=zone).timestamp() * 1000)


class ReportService:
    def __init__(
        self,
        *,
        paper: Any,  # services.paper.service.PaperService
        users: Any,
        catalog: Any,
        sender: Any,
        signals: Any,
        ledger: DigestLedger,
        settings: Any,
        clock: Callable[[], int],
    ) -> None:
        self.paper = paper
        self.users = users
        self.catalog = catalog
        self.sender = sender
        self.signals = signals
        self.ledger = ledger
        self.settings = settings
        self.clock = clock

    # -- /stats ----------------------------------------------------------------------

    async def stats(self, user_id: int, mode: str) -> ModeStats:
        """One mode's figures, from that mode's account, positions and fills only."""
        queries = self.paper.queries
        account = await self.paper.accounts.get(user_id, mode)
        closed = await queries.closed_positions(user_id, mode)
        fills = await queries.fills(user_id, mode)
        return mode_stats(mode, account.deposit, closed, fills)

    async def signal_stats(self, user_id: int, mode: str) -> list[Any]:
        """Signal hit rates per preset for one mode (the signals service's figures)."""
        method = getattr(self.signals, "signal_stats", None)
        if method is None:
            return []
        return list(await method(user_id=user_id, trade_mode=mode))

    # -- /export ---------------------------------------------------------------------

    async def export(self, user_id: int) -> ExportFiles:
        queries = self.paper.queries
        positions: list[PositionDTO] = []
        fills: list[FillDTO] = []
        for mode in MODES:
            positions += await queries.closed_positions(user_id, mode)
            fills += await queries.fills(user_id, mode)
        positions += await queries.open_positions(user_id, None)
        positions.sort(key=lambda p: p.id)
        fills.sort(key=lambda f: f.id)
        return ExportFiles(positions_csv(positions), fills_csv(fills), len(positions), len(fills))

    # -- digests ---------------------------------------------------------------------

    def due_periods(self, tz: str, now_ms: int) -> list[tuple[str, date, date, int, int]]:
        """(kind, first local day, last local day, start_ms, end_ms) due at `now_ms`."""
        zone = user_zone(tz)
        local = datetime.fromtimestamp(now_ms / 1000, tz=UTC).astimezone(zone)
        if local.hour < self.settings.digest_hour:
            return []
        today = local.date()
        end_ms = local_midnight_ms(today, zone)
        yesterday = today - timedelta(days=1)
        due = [("daily", yesterday, yesterday, local_midnight_ms(yesterday, zone), end_ms)]
        if today.weekday() == self.settings.digest_weekday:
            first = today - timedelta(days=7)
            due.append(("weekly", first, yesterday, local_midnight_ms(first, zone), end_ms))
        return due

    async def run_digests(self, now_ms: int | None = None) -> DigestRun:
        now = self.clock() if now_ms is None else now_ms
        sent = skipped = already = 0
        for user in await self.users.list_users():
            for kind, first, last, start_ms, end_ms in self.due_periods(user.timezone, now):
                claim = await self.ledger.claim(user.id, kind, last.isoformat(), now)
                if claim is None:
                    already += 1
                    continue
                if await self._send_digest(user, kind, first, last, start_ms, end_ms, claim):
                    sent += 1
                else:
                    skipped += 1
        return DigestRun(sent, skipped, already)

    async def _send_digest(
        self,
        user: Any,
        kind: str,
        first: date,
        last: date,
        start_ms: int,
        end_ms: int,
        claim: int,
    ) -> bool:
        queries = self.paper.queries
        account = await self.paper.accounts.get(user.id)
        digest = build_digest(
            kind,
            start_ms,
            end_ms,
            deposit=account.deposit,
            closed=await queries.closed_positions(
                user.id, "paper", since_ms=start_ms, until_ms=end_ms
            ),
            fills=await queries.fills(user.id, "paper", until_ms=end_ms),
            open_positions=len(await queries.open_positions(user.id, "paper")),
        )
        if digest is None or self.sender is None:
            await self.ledger.finish(claim, "skipped")
            return False
        i18n = self.catalog.translator(user.language)
        text = digest_text(i18n, digest, account.currency, first, last)
        title = i18n("digest-chart-title", currency=account.currency)
        png = await asyncio.to_thread(equity_png, digest.curve_ms, digest.curve, title)

        async def record(result: SendResult) -> None:
            status = "sent" if result.ok else "failed"
            await self.ledger.finish(claim, status, result.sent_wall_ms)

        self.sender.enqueue(
            user.id,
            text,
            photo=png,
            photo_name=f"equity-{last.isoformat()}.png",
            priority=Priority.LOW,
            tag=f"digest:{kind}:{last.isoformat()}",
            on_result=record,
        )
        return True
