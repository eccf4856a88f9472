"""/export: the user's positions and fills (every trade mode, each row labelled with
its mode) as two CSV files. Numbers are the exact stored values (so the rows sum to
the account) written in plain decimal notation."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from services.paper.dto import FillDTO, PositionDTO

POSITION_COLUMNS = (
    "id", "trade_mode", "source", "symbol", "side", "kind", "leverage", "status",
    "opened_at", "closed_at", "entry_price", "qty", "remaining_qty", "margin", "stop",
    "initial_stop", "tp1", "tp2", "tp3", "exit_reason", "manual_exit", "realized_pnl",
    "fees", "net_pnl", "simulated", "signal_id",
)  # fmt: skip
FILL_COLUMNS = (
    "id", "position_id", "trade_mode", "symbol", "side", "kind", "time", "qty", "price",
    "fee", "pnl", "manual",
)  # fmt: skip


def iso(ms: int | None) -> str:
    if ms is None:
        return ""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


def decimal_text(value: Decimal) -> str:
    """Exact, in plain notation, without storage padding: `0E-10` -> "0",
    `0.9940000000` -> "0.994", `1E+2` -> "100" (spreadsheets read every one)."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def _csv(header: Sequence[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_text(v) for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def positions_csv(positions: Sequence[PositionDTO]) -> bytes:
    rows: list[list[object]] = []
    for p in positions:
        tps = (*p.targets, None, None, None)[:3]
        rows.append([
            p.id, p.trade_mode, p.source, p.symbol, p.side, p.kind, p.leverage, p.status,
            iso(p.opened_ms), iso(p.closed_ms), p.entry_price, p.qty, p.remaining_qty,
            p.margin, p.stop, p.initial_stop, *tps, p.exit_reason, p.manual_exit,
            p.realized_pnl, p.fees, p.net_pnl, p.simulated, p.signal_id,
        ])  # fmt: skip
    return _csv(POSITION_COLUMNS, rows)


def fills_csv(fills: Sequence[FillDTO]) -> bytes:
    rows: list[list[object]] = [
        [f.id, f.position_id, f.trade_mode, f.symbol, f.side, f.kind, iso(f.time_ms), f.qty,
         f.price, f.fee, f.pnl, f.manual]
        for f in fills
    ]  # fmt: skip
    return _csv(FILL_COLUMNS, rows)
