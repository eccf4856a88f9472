"""Appending to and verifying the audit chain.

`record(session, event, ...)` writes one row inside the caller's transaction, so the
row exists exactly when the state change it describes was committed. It must be
called after the change's first write (services open money transactions with a
write-locking UPDATE already); the head row update here serializes appenders on
both SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit_chain import GENESIS, ChainProblem, ChainRow, canonical_json, row_hash, verify_chain
from services.audit.context import config_in_force, current_actor
from services.db.engine import Database
from services.db.models.audit import AuditEntry, AuditHead

HEAD_ID = 1
WHY_MAX = 500


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    seq: int
    ts_ms: int
    actor: str
    event: str
    subject: str | None
    rationale: dict[str, Any]
    hash: str


@dataclass(frozen=True, slots=True)
class VerifyReport:
    rows: int
    head_seq: int | None
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


async def _bump_head(session: AsyncSession, by: int) -> tuple[int, str, str]:
    """Advance the head's seq by `by` (write-locking it); (old seq, hash, config hash)."""
    statement = (
        update(AuditHead)
        .where(AuditHead.id == HEAD_ID)
        .values(seq=AuditHead.seq + by)
        .returning(AuditHead.seq, AuditHead.hash, AuditHead.config_hash)
    )
    row = (await session.execute(statement)).first()
    if row is None:  # a database built without the migration's seed row
        insert = (
            postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        )
        await session.execute(
            insert(AuditHead)
            .values(id=HEAD_ID, seq=0, hash=GENESIS, config_hash="")
            .on_conflict_do_nothing()
        )
        row = (await session.execute(statement)).one()
    seq, prev_hash, config_hash = row
    return int(seq) - by, str(prev_hash), str(config_hash)


def _entry(
    seq: int, prev: str, ts_ms: int, actor: str, event: str, subject: str | None, rationale: Any
) -> AuditEntry:
    text = canonical_json(rationale)
    return AuditEntry(
        seq=seq,
        ts_ms=ts_ms,
        actor=actor[:64],
        event=event[:64],
        subject=subject[:64] if subject else None,
        rationale=text,
        prev_hash=prev,
        hash=row_hash(
            prev, seq, ts_ms, actor[:64], event[:64], subject[:64] if subject else None, text
        ),
    )


async def record(
    session: AsyncSession,
    event: str,
    *,
    subject: str | None = None,
    what: Mapping[str, Any] | None = None,
    why: str | None = None,
    actor: str | None = None,
) -> AuditRecord:
    """Append one row (who, what, why, config in force) in the session's transaction."""
    who = actor or current_actor()
    config_hash, config = config_in_force()
    ts_ms = int(time.time() * 1000)
    rationale = {
        "who": who,
        "what": dict(what or {}),
        "why": (why or "")[:WHY_MAX],
        "config": config_hash,
    }
    # Reserve two seqs at most (a config row first when the configuration changed).
    last_seq, prev, head_config = await _bump_head(session, 1)
    rows: list[AuditEntry] = []
    seq = last_seq + 1
    if config_hash and config_hash != head_config:
        await session.execute(
            update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=AuditHead.seq + 1)
        )
        note = {"who": "system", "what": config, "why": "configuration changed"}
        config_row = _entry(
            seq, prev, ts_ms, "system", "config.in_force", f"config:{config_hash[:12]}",
            {**note, "config": config_hash},
        )  # fmt: skip
        rows.append(config_row)
        seq, prev = seq + 1, config_row.hash
    entry = _entry(seq, prev, ts_ms, who, event, subject, rationale)
    rows.append(entry)
    session.add_all(rows)
    await session.execute(
        update(AuditHead)
        .where(AuditHead.id == HEAD_ID)
        .values(hash=entry.hash, config_hash=config_hash or head_config)
    )
    await session.flush()
    return AuditRecord(
        entry.id, entry.seq, ts_ms, entry.actor, entry.event, entry.subject, rationale, entry.hash
    )


async def verify(db: Database) -> VerifyReport:
    """Walk the whole chain in storage order and report its first break."""
    async with db.sessions() as session:
        head = (
            await session.execute(
                select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)
            )
        ).first()
        result = await session.execute(
            select(
                AuditEntry.id,
                AuditEntry.seq,
                AuditEntry.ts_ms,
                AuditEntry.actor,
                AuditEntry.event,
                AuditEntry.subject,
                AuditEntry.rationale,
                AuditEntry.prev_hash,
                AuditEntry.hash,
            ).order_by(AuditEntry.id)
        )
        rows = [ChainRow(*r) for r in result]
    head_pair = (int(head[0]), str(head[1])) if head is not None else None
    return VerifyReport(
        len(rows), head_pair[0] if head_pair else None, verify_chain(rows, head_pair)
    )


async def recent(db: Database, *, limit: int = 20, subject: str | None = None) -> list[AuditRecord]:
    import json

    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if subject is not None:
        query = query.where(AuditEntry.subject == subject)
    async with db.sessions() as session:
        rows = (await session.scalars(query)).all()
    return [
        AuditRecord(
            r.id, r.seq, r.ts_ms, r.actor, r.event, r.subject, json.loads(r.rationale), r.hash
        )
        for r in rows
    ]
