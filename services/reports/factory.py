"""Builder for `services/container.py` BUILDERS:
("reports", "services.reports.factory:build_reports")."""

from __future__ import annotations

from typing import Any

from services.market.base import SystemClock
from services.reports.ledger import DigestLedger
from services.reports.service import ReportService


def build_reports(services: Any) -> ReportService | None:
    if services.paper is None:
        return None
    return ReportService(
        paper=services.paper,
        users=services.users,
        catalog=services.i18n,
        sender=services.sender,
        signals=services.signals,
        ledger=DigestLedger(services.db),
        settings=services.settings,
        # Digests follow the wall clock (users' local mornings), not a replay clock.
        clock=SystemClock().now_ms,
    )
